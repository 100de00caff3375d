"""The pilot-site portal: uploads through the writer's queue, receipts, templates (no Streamlit)."""
