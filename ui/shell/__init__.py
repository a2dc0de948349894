"""The shell (画面の枠): the main window, the session's life (login → work → lock → end), the idle
guard, the privacy shield and the start-up self test. It navigates between pages and owns what
every page shares; it holds no business rule and no page's widgets."""
