"""HTML pages. Thin: parse input with a form, call a selector or a service, render (design.md rule 1)."""
