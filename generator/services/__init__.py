"""Services: one function per use case (render, derive, report, check, lint, forms, validate), taking data
in and returning result objects — never printing, never exiting. The CLI and the web application call
these; they are the only callers of more than one stage."""
