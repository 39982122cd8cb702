"""The mocked population-data / BHXH card-check service (FastAPI on uvicorn), signed with RFC 9421.

Modules: ``app`` (ASGI app and signing middleware), ``gateway`` (the card check), ``faults`` (fault
injection), ``server`` (``start_service`` for background use, ``serve`` for the command line).
"""
