from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions import interchange
from questions.bank import BankImportError, expand_paths, import_bank, parse_bank
from questions.interchange.apply import Options, apply, parse_map_lines, plan
from questions.interchange.safety import limit
from questions.interchange.schema import FormatError, Reading

YAML = (".yaml", ".yml")


class Command(BaseCommand):
    help = (
        "Import questions from files: YAML banks (all or nothing), or GIFT, Moodle XML, Aiken "
        "and QTI (per-question verdicts). Never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, or folders of them")
        parser.add_argument(
            "--format",
            choices=["yaml", *interchange.names()],
            help="the files' format (default: told by each file's extension and content)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be done; write nothing"
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="only add questions that are missing; leave existing ones as they are (YAML)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="CATEGORY=OBJECTIVE",
            help="file a category's questions under an objective (EXAM/1.2, or 1.2 with --exam)",
        )
        parser.add_argument("--map-file", help="a file of CATEGORY=OBJECTIVE lines")
        parser.add_argument("--objective", help="the objective for every unmapped question")
        parser.add_argument("--exam", help="the exam that bare objective codes belong to")
        parser.add_argument(
            "--active",
            action="store_true",
            help="make imported questions that have an explanation active (default: drafts)",
        )

    def handle(self, *args, **options):
        files = self.files(options["paths"], options["format"])
        if all(fmt == "yaml" for _, fmt in files):
            return self.yaml(options)
        if any(fmt == "yaml" for _, fmt in files):
            raise CommandError("Import YAML banks and other formats separately.")
        if options["keep_existing"]:
            raise CommandError("--keep-existing applies to YAML banks only.")
        try:
            categories = parse_map_lines(options["map"])
            if options["map_file"]:
                text = Path(options["map_file"]).read_text(encoding="utf-8-sig")
                categories |= parse_map_lines(text.splitlines())
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise CommandError(f"Cannot read the category map: {e}") from None
        reading, errors = Reading(), []
        for path, fmt in files:
            try:
                reading.extend(interchange.read(fmt, _read(path), str(path)))
            except FormatError as e:
                errors.append(str(e))
        result = plan(
            reading,
            Options(
                exam=options["exam"] or "",
                objective=options["objective"] or "",
                categories=categories,
                active=options["active"],
            ),
        )
        for verdict in result.verdicts:
            if verdict.action == "skip" or options["verbosity"] > 1:
                self.stderr.write(str(verdict))
        errors += result.errors
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} error(s); nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {result.summary()}")
            return
        done = apply(result)
        self.stdout.write(
            f"{len(done.created)} created, {len(done.updated)} updated, "
            f"{len(done.unchanged)} unchanged, {result.count('skip')} skipped."
        )

    def files(self, paths, fmt) -> list[tuple[Path, str]]:
        found = []
        for path in map(Path, paths):
            if path.is_dir():
                if fmt in (None, "yaml"):
                    found += [(p, "yaml") for p in expand_paths([path])]
                else:
                    ext = interchange.get(fmt).extensions
                    found += [(p, fmt) for p in sorted(path.rglob("*")) if p.suffix in ext]
                continue
            name = str(path).lower()
            guessed = fmt or ("yaml" if name.endswith(YAML) else None)
            if guessed is None:
                try:
                    head = _read(path)[:4096]
                except FormatError:
                    head = None  # reported when the file is read
                guessed = interchange.guess(name, head) or ("yaml" if not path.exists() else None)
            if guessed is None:
                raise CommandError(f"{path}: cannot tell its format; give --format.")
            found.append((path, guessed))
        return found

    def yaml(self, options):
        if not options["dry_run"]:
            try:
                result = import_bank(options["paths"], keep_existing=options["keep_existing"])
            except BankImportError as e:
                self.fail(e)
            self.stdout.write(
                f"{len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged."
                + (f" {len(result.kept)} kept as edited here." if result.kept else "")
            )
            return
        try:
            parsed = parse_bank(options["paths"])
        except BankImportError as e:
            self.fail(e)
        created = sum(p.is_new for p in parsed)
        updated = sum(p.changed and not p.is_new for p in parsed)
        self.stdout.write(
            f"Dry run, nothing written: {created} to create, {updated} to update, "
            f"{len(parsed) - created - updated} unchanged, 0 skipped."
        )

    def fail(self, e: BankImportError):
        for error in e.errors:
            self.stderr.write(str(error))
        raise CommandError(f"{len(e.errors)} error(s); nothing was imported.") from None


def _read(path: Path) -> bytes:
    """The file's bytes, refused before reading when it is over the size limit."""
    try:
        if path.stat().st_size > limit():
            raise FormatError(str(path), f"the file is over the limit of {limit() // 1024} KB")
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError(str(path), "No such file.") from None
    except IsADirectoryError:
        raise FormatError(str(path), "a folder, not a file") from None
    except OSError as e:
        raise FormatError(str(path), f"cannot be read ({e.strerror})") from None
