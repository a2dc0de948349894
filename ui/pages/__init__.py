"""The pages of the counter terminal, one module (or subpackage) each: they compose widgets and
call the client core (app/) through page operations; no business rule lives here."""
