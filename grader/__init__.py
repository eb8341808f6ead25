"""The kit's grader: runs topic tests in isolated subprocesses and scores them."""

__version__ = "0.1.0"
