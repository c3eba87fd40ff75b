"""The test suite. Its shared helpers (tests/helpers.py) get pytest's assertion messages, as test modules do."""

import pytest

pytest.register_assert_rewrite("tests.helpers")
