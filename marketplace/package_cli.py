"""``hub package upload COURSE_ID FILE``: upload a cmi5 or xAPI package for a course from the
command line, through the same service as ``PUT /courses/{id}/package``
(:func:`marketplace.package_upload.upload_package`), with a progress bar on stderr.

The operator acts for the course's provider (as ``cli:<provider name>``, the name the audit
trail shows) and, having no ETag, on whatever version is current (``If-Match: *``). Prints the
package as JSON; exit status 2 for a refused package, 1 for other errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from hub.destinations import AllowList
from hub.errors import HubError
from hub.principal import Principal, Role
from marketplace import package_upload
from marketplace.package_zip import PackageLimits
from marketplace.packages import package_of

package = click.Group("package", help="cmi5 and xAPI packages of courses.")


def _provider_publisher(course: dict[str, object], org: dict[str, str]) -> Principal:
    """The operator, acting as a publisher of the course's provider."""
    return Principal(key=f"cli:{org['name']}", org_id=str(course["provider_id"]),
                     org_kind=org["kind"], org_name=org["name"],
                     roles=frozenset({Role.PUBLISHER.value}))


@package.command("upload")
@click.argument("course_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def package_upload_command(course_id: str, file: Path) -> None:
    """Check FILE (a zip) and make it the package of COURSE_ID's working revision."""
    store = current_app.extensions["hub.store"]
    config = current_app.extensions["hub.config"]
    course = store.courses.get(course_id)
    org = store.organisations.get(course["provider_id"]) if course else None
    if course is None or org is None:
        click.echo(f"error: no course {course_id!r}", err=True)
        sys.exit(1)
    principal = _provider_publisher(course, org)
    # Each file's zipped bytes are counted twice: once inflated and checked, once stored.
    with file.open("rb") as stream, tqdm(total=2 * file.stat().st_size, unit="B",
                                          unit_scale=True, desc="package",
                                          file=sys.stderr) as bar:
        try:
            updated = package_upload.upload_package(
                store, current_app.extensions["hub.blobs"], principal, course_id, stream,
                "*", PackageLimits.from_config(config),
                AllowList.parse(config.outbound_allow_hosts), bar.update)
        except HubError as exc:
            bar.close()
            click.echo(f"error: {exc.detail}", err=True)
            sys.exit(2 if exc.status == 400 else 1)
        bar.update(bar.total - bar.n)  # the zip's headers and directory: not files, but done
    click.echo(orjson.dumps(package_of(updated), option=orjson.OPT_INDENT_2).decode())
