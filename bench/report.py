"""The benchmark's report: each target met or missed, and the table on the terminal."""

from __future__ import annotations


def verdicts(report: dict, targets: dict, shared_pages: tuple[str, ...]) -> list[str]:
    results = report["results"]
    lines = []

    def verdict(ok: bool, text: str) -> None:
        lines.append(f"{'met   ' if ok else 'MISSED'}  {text}")

    for name in shared_pages:
        result = results[name]
        floor, bare = result["ratio_to_floor"], result["ratio_to_bare"]
        verdict(
            floor >= targets["throughput_vs_floor"], f"{name}: {floor:.0%} of the floor (>= 80%)"
        )
        verdict(
            bare >= targets["throughput_vs_bare"], f"{name}: {bare:.0%} of bare Django (>= 70%)"
        )
        p99 = result["p99_ms"]
        verdict(p99 <= targets["p99_ms"], f"{name}: p99 at 32 connections {p99:.1f} ms (<= 50)")
    search = results["search (mix)"]
    verdict(
        search["ratio_to_floor"] >= targets["search_vs_floor"],
        f"search (mix): {search['ratio_to_floor']:.0%} of the floor (>= 50%)",
    )
    for label, value in (
        ("PostgreSQL, one client", search["one_client"]["p95_ms"]),
        ("SQLite, one client", report["sqlite_search"]["p95_ms"]),
    ):
        verdict(value <= targets["search_p95_ms"], f"search p95 {label}: {value:.1f} ms (<= 30)")
    queries = results["return form submission"]["queries"]
    verdict(queries <= targets["return_queries"], f"return submission: {queries} queries (<= 12)")
    admin = results["admin return list"]["one_client"]["p95_ms"]
    verdict(admin <= targets["admin_p95_ms"], f"admin return list p95, one client: {admin:.0f} ms")
    for name, result in results.items():
        visit = result.get("first_visit_bytes")
        if visit and name not in {"guide step (htmx)", "admin return list", "floor"}:
            kb = visit["total"] / 1024
            verdict(kb < targets["first_visit_kb"], f"{name}: first visit {kb:.1f} KB (< 30)")
    htmx = results["guide step (htmx)"]["first_visit_bytes"]["html"] / 1024
    verdict(htmx < targets["htmx_step_kb"], f"htmx step {htmx:.1f} KB (< 5)")
    for name, same in report["same_bytes"].items():
        verdict(
            same["identical"] and same["public"] and not same["set_cookie"],
            f"{name}: two anonymous visitors get the same bytes, public, no cookie",
        )
    failed = {name: result["errors"] for name, result in results.items() if result.get("errors")}
    verdict(not failed, f"no errors or refusals under load ({failed or 'none'})")
    mail = report["mail"]
    verdict(not mail["not_sent"], f"mail: {mail['delivered']} delivered of {mail['queued']}")
    return lines


def print_table(report: dict) -> None:
    header = (
        f"{'page':<24}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'floor':>7}{'(near)':>8}{'bare':>6}{'SQL':>5}{'1st visit KB':>14}{'errors':>8}"
        f"{'alone p50/p95':>15}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, r in report["results"].items():
        visit = r.get("first_visit_bytes")
        kb = f"{visit['total'] / 1024:.1f}" if visit else "-"
        one = r.get("one_client")
        alone = f"{one['p50_ms']:.0f}/{one['p95_ms']:.0f}" if one else "-"
        queries = r["queries"] if r["queries"] is not None else "-"
        near = f"{r['adjacent_floor']:.0f}" if r.get("adjacent_floor") else "-"
        print(
            f"{name:<24}{r['rps']:>8.0f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['p99_ms']:>8.1f}"
            f"{r['ratio_to_floor']:>7.0%}{near:>8}{r['ratio_to_bare']:>6.0%}{queries:>5}"
            f"{kb:>14}{r['errors']:>8}{alone:>15}"
        )
    sqlite = report["sqlite_search"]
    print(
        f"\nsearch on SQLite ({sqlite['articles']} articles, {sqlite['searches']} searches of the "
        f"mix, one client): p50 {sqlite['p50_ms']:.1f} ms, p95 {sqlite['p95_ms']:.1f} ms"
    )
    print()
    mail = report["mail"]
    print(
        f"mail: {mail['delivered']} delivered of {mail['queued']} queued, {mail['not_sent']} left"
    )
    print("\n".join(report["verdicts"]))
