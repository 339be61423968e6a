from kg.cli import cli

if __name__ == "__main__":  # worker processes re-import the main module: run only once
    cli()
