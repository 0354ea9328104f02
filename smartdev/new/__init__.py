"""`smartdev new`: a project from a template (cookiecutter), or around existing contracts."""
