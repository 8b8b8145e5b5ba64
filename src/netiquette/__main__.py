from netiquette.cli.app import main

main()
