"""Every starter-suite gold deliverable renders to page images, as reviewers will see it.

A gold file LibreOffice cannot render would reach the review app as a failed preview; this
catches it when the suite is built, not when a reviewer opens the pair.
"""

from __future__ import annotations

import pytest
from PIL import Image

from core.suite import load_suite

from .conftest import SUITE_DIR

pytestmark = pytest.mark.soffice

DOCS = ("docx", "xlsx", "pptx", "pdf")


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    from core.documents.office import soffice_path
    from core.documents.render import Renderer

    if not soffice_path():
        pytest.skip("LibreOffice (soffice) is not installed")
    r = Renderer(cache_root=tmp_path_factory.mktemp("render-cache"), timeout_s=90)
    yield r
    r.close()


def gold_files():
    suite = load_suite(SUITE_DIR)
    return [pytest.param(p, id=f"{lt.id}/{p.name}")
            for lt in suite.tasks for p in lt.gold_paths() if p.suffix.lstrip(".") in DOCS]


@pytest.mark.parametrize("path", gold_files())
def test_gold_renders_to_pngs(renderer, path):
    pngs = renderer.to_pngs(path, dpi=60, max_pages=3)
    assert pngs, f"{path.name} rendered no page"
    for png in pngs:
        with Image.open(png) as im:
            assert im.format == "PNG"
            w, h = im.size
            assert w > 200 and h > 200
            # a blank page is a failed render in disguise: some pixels must be ink
            assert im.convert("L").getextrema()[0] < 128
