"""The exception classes of lockstep: JavaScript's RangeError has no Python twin, so it is a ValueError here."""


class RangeError(ValueError):
    """A value outside its allowed range (the JavaScript host throws RangeError where this is raised)."""


class KernelError(RuntimeError):
    """The wasm kernel trapped. Every input is checked before it reaches the kernel, so this is a bug: please report it."""


class JSONSyntaxError(ValueError):
    """Pipeline JSON that does not parse (the JavaScript host throws SyntaxError)."""


def js_error_name(e: BaseException) -> str:
    """The JavaScript class of the error the TypeScript host throws for the same input."""
    if type(e).__name__ == "DecodeError":
        return "DecodeError"
    if isinstance(e, RangeError):
        return "RangeError"
    if isinstance(e, JSONSyntaxError):
        return "SyntaxError"
    if isinstance(e, TypeError):
        return "TypeError"
    return type(e).__name__
