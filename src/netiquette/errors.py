"""Errors a user can cause. The command line prints them on one line and exits with code 2."""


class UserError(Exception):
    """A mistake in the user's input or request; its message names what is wrong and where."""


class NotFound(UserError):
    """An id or name that does not exist for this member."""


class IllegalTransition(UserError):
    """A step that a case cannot take in its current state."""
