"""``cskg extract``: a draft fact sheet from the text of an article or letter (``cskg.extract``)."""

from pathlib import Path
from typing import Annotated

import typer

from cskg.cli import _project
from cskg.errors import InputError


def extract(
    file: Annotated[str, typer.Argument(help="The plain text of a news article or an Ofsted "
                                        "letter or report (UTF-8).", show_default=False)],
    url: Annotated[str | None, typer.Option("--url", help="The source's web address, written "
                                            "into the draft.", show_default=False)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the draft here "
                                               "(a .yaml file) instead of to standard output.",
                                               show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it "
                                        "exists.")] = False,
) -> None:
    """Draft a fact sheet from a text, for a person to check and then `cskg add`.

    Every entry is preceded by the sentences it comes from; entries the extraction is
    unsure of carry `review:`, which `cskg add` refuses until it is removed. Entities
    the graph already holds are marked `same as:`. The graph is never written.

    Example: cskg extract article.txt --url https://www.cypnow.co.uk/... -o article.yaml
    """
    from cskg.extract import extract as run
    from cskg.store import open_store

    path = Path(file)
    if not path.is_file():
        raise InputError(f"no such file: {file}")
    if output is not None:
        out = Path(output)
        if out.suffix not in (".yaml", ".yml"):
            raise InputError(f"--output {output}: a fact sheet is a .yaml file")
        if out.exists() and not force:
            raise InputError(f"--output {output}: exists", "give --force to replace it")
    with open_store(_project()) as store:
        result = run(path, file, store, url=url)
    draft = result.draft
    if output is None:
        typer.echo(result.yaml, nl=False)
    else:
        _write(Path(output), result.yaml)
    err = typer.echo
    reviews = draft.reviews()
    where = output or "the draft"
    err(f"{file}: {len(draft.items())} entries drafted, {len(reviews)} marked for review"
        + (f"; written to {output}" if output else ""), err=True)
    for item in reviews:
        err(f"  review ({where}:{item.line}): {'; '.join(item.review)}", err=True)
    for line in result.links:
        err(f"  {line}", err=True)
    for note in draft.notes:
        err(f"  {note}", err=True)
    if result.problem:
        err(f"  the draft does not yet read as a fact sheet: {result.problem}", err=True)


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file beside it, renamed over it."""
    import os

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise InputError(f"--output {path}: cannot write ({error.strerror or error})") from None
