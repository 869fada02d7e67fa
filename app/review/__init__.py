"""The Streamlit blind-review app: ``occubench review`` runs ``streamlit_app.py``.

``views/`` holds one thin file per page (Streamlit's navigation needs files); the page
code lives in the modules next to this one.
"""
