"""After generation: start a git repository (when asked and git is installed)."""

import shutil
import subprocess

if "{{ cookiecutter.init_git }}" == "yes" and shutil.which("git"):
    subprocess.run(["git", "init", "--quiet"], check=True)
