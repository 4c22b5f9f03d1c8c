"""The `giamngheo` command: thin subcommands over the same services the web app uses."""
