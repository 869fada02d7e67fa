"""What the agent is told. Plain, occupation-aware instructions; the task prompt is the
client's request verbatim."""

from __future__ import annotations

from core.task import Task
from runner.workspace import InputFile

TOOL_SYSTEM = """\
You are an experienced {occupation} doing a piece of work for a client. Produce the \
deliverable files a professional in your role would hand in: complete, accurate, well \
organised and ready to send, with no placeholders.

How to work:
1. Look at the input files (list_inputs, read_input) when there are any.
2. Write each deliverable with write_docx, write_xlsx, write_pptx or write_pdf, or with \
run_python when you need calculations, charts or finer control (python-docx, openpyxl, \
python-pptx and reportlab are installed; save files in the current directory).
3. Call finish with the file names and a one-paragraph summary. Nothing is handed in \
until you call finish.

Do not ask the client questions: make reasonable, clearly stated assumptions. Write for \
the client, not about yourself."""

PLAN_SYSTEM = """\
You are an experienced {occupation}. Write the content of the deliverable the client asks \
for, as JSON matching the schema: a title, a summary paragraph, sections (heading, \
paragraphs, bullet points) and, when figures help, one table. Be specific and concrete."""


def deliverables_text(task: Task, names: list[tuple[str, str]] | None = None) -> str:
    """The expected deliverables as a bullet list (type, and name when fixed)."""
    lines = []
    if names:
        for file_type, name in names:
            lines.append(f"- {name} ({file_type})")
    elif task.deliverables:
        for d in task.deliverables:
            desc = f": {d.description}" if d.description else ""
            lines.append(f"- a {d.type} file" + (f" named {d.name}" if d.name else "") + desc)
    elif task.deliverable_types:
        lines += [f"- a {t} file" for t in task.deliverable_types]
    return "\n".join(lines)


def tool_messages(task: Task, inputs: list[InputFile]) -> list[dict]:
    user = [f"# Request\n{task.prompt.strip()}"]
    if inputs:
        user.append("# Input files\n" + "\n".join(
            f"- {f.name} ({f.file_type}, {f.size:,} bytes)" for f in inputs))
    expected = deliverables_text(task)
    if expected:
        user.append(f"# Expected deliverables\n{expected}")
    return [
        {"role": "system", "content": TOOL_SYSTEM.format(occupation=task.occupation)},
        {"role": "user", "content": "\n\n".join(user)},
    ]


def plan_messages(task: Task, input_texts: list[tuple[str, str]],
                  targets: list[tuple[str, str]]) -> list[dict]:
    user = [f"# Request\n{task.prompt.strip()}"]
    for name, text in input_texts:
        user.append(f"# Input file {name}\n{text}")
    user.append(f"# Deliverables (rendered from your JSON)\n{deliverables_text(task, targets)}")
    user.append("Answer with the JSON only.")
    return [
        {"role": "system", "content": PLAN_SYSTEM.format(occupation=task.occupation)},
        {"role": "user", "content": "\n\n".join(user)},
    ]
