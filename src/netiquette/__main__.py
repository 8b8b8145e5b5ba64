from netiquette.cli import main

main()
