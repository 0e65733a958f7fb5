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


class BatchTimeoutError(RuntimeError):
    """A batch that did not arrive within the DataLoader's timeout (the JavaScript Loader's
    BatchTimeoutError): names the epoch, the batch number and its dataset indices; the workers were
    stopped. A RuntimeError, as torch's own "DataLoader timed out" error, so existing handlers catch it."""

    def __init__(self, epoch: int, batch: int, indices: list, timeout: float) -> None:
        super().__init__(f"lockstep loader: batch {batch} of epoch {epoch} (dataset indices {', '.join(str(i) for i in indices)}) did not arrive "
                         f"within the timeout of {timeout} s; its workers were stopped")
        self.epoch, self.batch, self.indices, self.timeout = epoch, batch, list(indices), timeout
