"""Start-up speed: the app imports without scikit-learn (about a second of every start);
the local model loads it when it first reads a document."""

import subprocess
import sys


def test_the_app_imports_without_scikit_learn():
    probe = ("import sys, dokvault.dokvault, workers.embedded, dokvault.cli; "
             "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_local_model_loads_it_when_it_reads():
    probe = ("import sys; from dokvault.ai import local; local._counts(['Kjøpekontrakt']); "
             "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "True"
