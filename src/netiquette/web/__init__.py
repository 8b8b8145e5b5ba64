"""The web app: Django views and templates over :mod:`netiquette.services`, and the JSON API."""
