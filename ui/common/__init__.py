"""What every view uses: the runner and page operations (background calls and their shared
failures), error messages, the busy indicator, translations (i18n) and small widgets."""
