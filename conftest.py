"""Shared test fixtures: departments, users of every role, and signed-in clients."""

import pytest

from lvzhi.testing import *  # noqa: F401,F403  (fixtures)
