"""RFC 9421 HTTP Message Signatures (Ed25519) and RFC 9530 Content-Digest, as kiosk and service use them.

* :mod:`kiosk.signing.profile` — the profile both sides keep (below), digest, reading the ``sig1`` fields, and the
  calls into the public API of ``http-message-signatures``, which builds and checks every signature base.
* :mod:`kiosk.signing.keys` — Ed25519 key files (PEM, JWK), thumbprints.
* :mod:`kiosk.signing.kiosk_auth` — the kiosk: sign requests (``httpx.Auth``), check signed answers.
* :mod:`kiosk.signing.service_verifier` — the service: trusted keys, request policy, replay cache, signed answers.

The profile:

* Requests carry one signature labelled ``sig1``, algorithm ``ed25519``, covering
  ``"@method" "@target-uri" "content-type" "content-digest"`` with the parameters ``created``,
  ``expires`` (``created`` + 30 s), a random ``nonce``, ``keyid`` (the kiosk id) and ``alg``.
  ``Content-Digest`` is ``sha-256`` (RFC 9530).
* The service checks the signature before anything else. Its policy (ours, not the library's):
  ``created`` at most 5 s in the future and at most 60 s old, ``expires`` not passed and at most 60 s
  after ``created``, nonce never seen before (``ReplayCache``), exactly one signature.
* Every service response is signed (label ``sig1``) over ``"@status" "content-type" "content-digest"``
  with ``keyid`` = the RFC 7638 thumbprint of the service key; a response to a request that carried a
  ``sig1`` signature is also bound to it by covering ``"signature";req;key="sig1"``. The kiosk pins the
  service key and refuses unsigned, mis-signed or unbound responses (``verify_response``).
"""
