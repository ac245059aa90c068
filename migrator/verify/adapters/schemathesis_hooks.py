"""A schemathesis check, loaded into its process (``SCHEMATHESIS_HOOKS``): a service must serve
its own documented operations. 405 to an operation's own method, or 404 to an operation without
path parameters (nothing it could fail to find), says the service does not serve it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import schemathesis
from schemathesis.core.failures import Failure

from migrator.verify.adapters.schemathesis import NOT_SERVED


@schemathesis.check  # its name is schemathesis.NOT_SERVED_CHECK
def served_by_service(ctx: Any, response: Any, case: Any) -> bool | None:
    status, operation = response.status_code, case.operation
    if case.method.upper() != operation.method.upper():
        return None  # schemathesis asks with other methods on purpose: 405 is the right answer there
    if not unquote(urlsplit(str(response.request.url)).path).endswith(unquote(case.formatted_path)):
        return None  # a redirect was followed (to a login page another service serves): the answer is not the operation's
    if status == 405 or (status == 404 and not operation.path_parameters):
        raise Failure(operation=operation.label, title=NOT_SERVED,
                      message=f"{status} to {operation.label}, an operation of the service's own OpenAPI document")
    return None
