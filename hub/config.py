"""Every environment variable the hub reads, in one place.

The README's configuration table is generated from :data:`SETTINGS` by eye: keep them in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

#: name -> (default, description). ``None`` default means "unset unless given".
SETTINGS: dict[str, tuple[str | None, str]] = {
    "HUB_STORE_URL": ("sqlite:///var/hub.db", "Document store: sqlite:///rel/path, "
                      "sqlite:////abs/path or mongodb://host/db"),
    "HUB_BLOB_URL": ("file://var/blobs", "Blob store: file:///absolute/dir, file://relative/dir "
                     "(beside var/hub.db by default) or s3://bucket/prefix"),
    "HUB_S3_ENDPOINT_URL": (None, "Endpoint of an S3-compatible server (MinIO, moto)"),
    "HUB_S3_REGION": ("us-east-1", "Region for the S3 client"),
    "HUB_PUBLIC_URL": ("http://127.0.0.1:8000", "Public base URL of the hub (links, xAPI "
                       "account homePage, LTI issuer)"),
    "HUB_MAX_BODY_BYTES": (str(64 * 1024 * 1024), "Largest request body accepted on any "
                           "route, streamed or not (413 above, before authentication)"),
    "HUB_SECRET_KEY": (None, "Secret for signing cursors and xAPI 'more' links and for encrypting "
                       "forwarding passwords; when unset a "
                       "random key is created once and shared through the blob store"),
    "HUB_LOG_LEVEL": ("INFO", "Python logging level"),
    "HUB_FORWARDING_WORKER": ("on", "Run the xAPI statement-forwarding worker thread in each "
                              "process ('off': run 'hub xapi forward' from cron instead)"),
    "HUB_LTI_SCORE_WORKER": ("on", "Run the thread that sends LTI completions back to LMSes as "
                             "AGS scores in each process ('off': run 'hub lti send-scores' "
                             "from cron instead)"),
    "HUB_AUTH_FAILURES_PER_KEY": ("10/minute", "Failed authentications one credential key may "
                                  "have per moving window before it answers 429, even with the "
                                  "right secret ('off' disables; counted per process)"),
    "HUB_AUTH_FAILURES_PER_ADDRESS": ("50/minute", "Failed authentications one client address "
                                      "may have per moving window before it answers 429 ('off' "
                                      "disables; counted per process)"),
    "HUB_FORWARDING_ALLOW_HOSTS": (None, "Comma-separated host names, IP addresses or CIDR "
                                   "networks that statement forwarding may reach although they "
                                   "are internal (loopback, private, link-local)"),
    "HUB_LTI_KEY_ROTATION_DAYS": ("90", "Days the hub signs LTI messages with one key before it "
                                  "rotates to a new one (the old key stays in the JWKS until "
                                  "what it signed has expired)"),
    "HUB_OUTBOUND_ALLOW_HOSTS": (None, "Comma-separated host names, IP addresses or CIDR "
                                 "networks that every outbound fetch (LTI key sets and "
                                 "services, statement forwarding) may reach although they are "
                                 "internal"),
    "HUB_PACKAGE_MAX_BYTES": (str(500 * 1024 * 1024), "Largest total size of a cmi5/xAPI "
                              "package's files once unzipped (counted while extracting)"),
    "HUB_PACKAGE_MAX_FILE_BYTES": (str(200 * 1024 * 1024), "Largest single file of a package, "
                                   "unzipped"),
    "HUB_PACKAGE_MAX_FILES": ("10000", "Most files (zip entries) in a package"),
    "HUB_PACKAGE_MAX_RATIO": ("200", "Highest unzipped/zipped size ratio of a package entry over "
                              "1 MB (a zip bomb compresses far beyond it)"),
    "HUB_PACKAGE_PRESIGN": ("false", "Answer package content requests with a 302 to a "
                            "short-lived presigned S3 URL instead of streaming through the hub "
                            "(S3 blob store only)"),
    "HUB_CMI5_TOKEN_TTL": ("14400", "Seconds a cmi5 launch's fetch URL and the AU session "
                           "token it hands out stay valid (cmi5 §8.2: the token lasts a "
                           "session)"),
    "HUB_CMI5_ABANDON_AFTER": ("14400", "Seconds after its launch a cmi5 session that never "
                               "terminated is abandoned by the player's sweeper (cmi5 §9.3.7); "
                               "0 turns the sweeper thread off"),
    "HUB_INTEGRITY_MIN_RATIO": ("0.10", "A completion whose recorded learning time is below "
                                "this share of the item's duration is flagged and its "
                                "passbook evidence withheld until a reviewer accepts it"),
    "HUB_PASSBOOK_LIVE": ("on", "Keep the competency passbook current as statements are "
                          "stored ('off': only 'hub passbook rebuild' updates it)"),
    "PORT": ("8000", "Port that 'make run' serves on"),
    "MONGODB_URI": (None, "Tests only: run the MongoDB contract tests against this server "
                    "instead of mongomock"),
}


@dataclass(frozen=True)
class Config:
    """Typed settings read from the environment (and overridable by ``test_config``)."""

    store_url: str
    blob_url: str
    s3_endpoint_url: str | None
    s3_region: str
    public_url: str
    max_body_bytes: int
    secret_key: str | None
    log_level: str
    auth_failures_per_key: str
    auth_failures_per_address: str
    forwarding_allow_hosts: str = ""
    outbound_allow_hosts: str = ""
    forwarding_worker: bool = True
    lti_score_worker: bool = True
    lti_key_rotation_days: int = 90
    package_max_bytes: int = 500 * 1024 * 1024
    package_max_file_bytes: int = 200 * 1024 * 1024
    package_max_files: int = 10000
    package_max_ratio: int = 200
    package_presign: bool = False
    cmi5_token_ttl: int = 14400
    cmi5_abandon_after: int = 14400
    integrity_min_ratio: float = 0.10
    passbook_live: bool = True

    @classmethod
    def from_env(cls, overrides: dict[str, Any] | None = None) -> Config:
        """Read settings from ``os.environ``; ``overrides`` (keys as env names) win."""
        env = {name: os.environ.get(name, default) for name, (default, _) in SETTINGS.items()}
        env.update({k: v for k, v in (overrides or {}).items() if k in SETTINGS})
        return cls(
            store_url=str(env["HUB_STORE_URL"]),
            blob_url=str(env["HUB_BLOB_URL"]),
            s3_endpoint_url=env["HUB_S3_ENDPOINT_URL"] or None,
            s3_region=str(env["HUB_S3_REGION"]),
            public_url=str(env["HUB_PUBLIC_URL"]).rstrip("/"),
            max_body_bytes=int(env["HUB_MAX_BODY_BYTES"] or 0),
            secret_key=env["HUB_SECRET_KEY"] or None,
            log_level=str(env["HUB_LOG_LEVEL"]),
            auth_failures_per_key=str(env["HUB_AUTH_FAILURES_PER_KEY"]),
            auth_failures_per_address=str(env["HUB_AUTH_FAILURES_PER_ADDRESS"]),
            forwarding_allow_hosts=str(env["HUB_FORWARDING_ALLOW_HOSTS"] or ""),
            outbound_allow_hosts=str(env["HUB_OUTBOUND_ALLOW_HOSTS"] or ""),
            forwarding_worker=str(env["HUB_FORWARDING_WORKER"]).strip().lower()
            not in ("off", "0", "false", "no"),
            lti_score_worker=str(env["HUB_LTI_SCORE_WORKER"]).strip().lower()
            not in ("off", "0", "false", "no"),
            lti_key_rotation_days=int(env["HUB_LTI_KEY_ROTATION_DAYS"] or 90),
            package_max_bytes=int(env["HUB_PACKAGE_MAX_BYTES"] or 0),
            package_max_file_bytes=int(env["HUB_PACKAGE_MAX_FILE_BYTES"] or 0),
            package_max_files=int(env["HUB_PACKAGE_MAX_FILES"] or 0),
            package_max_ratio=int(env["HUB_PACKAGE_MAX_RATIO"] or 0),
            package_presign=str(env["HUB_PACKAGE_PRESIGN"]).strip().lower()
            in ("on", "1", "true", "yes"),
            cmi5_token_ttl=int(env["HUB_CMI5_TOKEN_TTL"] or 14400),
            cmi5_abandon_after=int(env["HUB_CMI5_ABANDON_AFTER"] or 0),
            integrity_min_ratio=float(env["HUB_INTEGRITY_MIN_RATIO"] or 0),
            passbook_live=str(env["HUB_PASSBOOK_LIVE"]).strip().lower()
            not in ("off", "0", "false", "no"),
        )
