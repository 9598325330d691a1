"""`spreadlab agreement FIRST SECOND`: how far two rounds of coding agree (Cohen's kappa per method and overall);
`--snapshot NAME` keeps the library's own coding of the programmes another round coded as a round of its own."""

from __future__ import annotations

import argparse

from ..collation import load
from .data_option import data_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agreement", parents=[data_option()],
        help="Cohen's kappa between two rounds of coding forms (data/coding/<round>/)",
        description="Compare two rounds of coding forms on the programmes both coded: Cohen's kappa per method, "
                    "overall and per profile field, and the programmes where they disagree.")
    parser.add_argument("rounds", nargs="*", metavar="ROUND", help="the two rounds to compare, e.g. first second")
    parser.add_argument("--snapshot", metavar="NAME",
                        help="write the library's coding of every programme coded in round --of as round NAME")
    parser.add_argument("--of", metavar="ROUND", default="second",
                        help="the round whose programmes --snapshot keeps (default: second)")
    parser.add_argument("--blind-only", action="store_true",
                        help="compare only the programmes whose forms in the second round say blind: true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import agreement

    collation = load(args.data)
    if args.snapshot:
        coded = {c.programme_id for c in collation.codings.get(args.of, ())}
        written = agreement.write_library_round(collation, args.snapshot, coded)
        print(f"wrote {len(written)} forms to {written[0].parent if written else args.snapshot}")
        return 0
    if len(args.rounds) != 2:
        raise SystemExit("spreadlab: error: give two rounds to compare, e.g. `spreadlab agreement first second`")
    result = agreement.compare_rounds(collation, *args.rounds, blind_only=args.blind_only)
    print(f"{len(result.programme_ids)} programmes coded in both rounds ({' and '.join(result.rounds)}): "
          f"kappa {result.overall:.2f} over every programme × method cell ({result.observed:.1%} of cells agree)\n")
    print(f"{'method':<40}{'library users':>14}{'first':>7}{'second':>8}{'both':>6}{'kappa':>7}")
    for method in result.methods:
        kappa = "—" if method.kappa is None else f"{method.kappa:.2f}"
        print(f"{method.method_id:<40}{method.library_users:>14}{method.first:>7}{method.second:>8}{method.both:>6}"
              f"{kappa:>7}")
    print(f"\n{'profile field':<16}{'same':>6}{'of':>5}{'kappa':>7}")
    for field in result.fields:
        kappa = "—" if field.kappa is None else f"{field.kappa:.2f}"
        print(f"{field.field:<16}{field.same:>6}{field.compared:>5}{kappa:>7}")
    if result.disagreements:
        print("\nwhere the rounds disagree (only in the first | only in the second):")
        for ident, (first, second) in result.disagreements.items():
            print(f"  {ident}: {', '.join(first) or '—'} | {', '.join(second) or '—'}")
    return 0
