"""govreport-tui: fill in, check and export 政府信息公开工作年度报告."""

# Keep this file plain: `python -m tui` and the .pyz import it before checking the Python's version,
# so it must parse on old Pythons too (tests/test_bundle.py parses it as Python 3.6).
__version__ = "0.1.0"
