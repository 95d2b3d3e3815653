"""A synthetic playbook of N records, valid under real schemas, with references between records.

The collections are those of the ``tests/fixtures/basic`` playbook (people, teams, stages,
slas, with its custom ``stages`` template) plus two larger ones from ``bench/schemas``
(competitors and personas: lists, nested objects, tables, ~1.2 KB a record). The output is
deterministic for a given N and seed.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "basic"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
TODAY = date(2026, 11, 23)

WORDS = [
    "pipeline", "revenue", "buyer", "champion", "budget", "renewal", "onboarding", "pricing",
    "forecast", "quota", "territory", "account", "demo", "trial", "security", "compliance",
    "integration", "dashboard", "workflow", "adoption", "churn", "expansion", "procurement",
    "legal", "discount", "partner", "channel", "webinar", "content", "campaign", "nurture", "score",
    "intent", "signal", "handoff", "meeting", "agenda", "proposal", "contract", "migration",
    "support", "analytics", "reporting", "governance",
]
NAMES = [
    "Ada", "Bo", "Cy", "Di", "Ed", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Max", "Ned",
    "Ola", "Pia", "Quin", "Rae", "Sol", "Tess", "Uma", "Vic", "Wes", "Yara", "Zed",
]
SURNAMES = [
    "Reyes", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Silva", "Haddad", "Kowalski",
    "Mensah", "Ibarra", "Chen",
]


def _counts(n: int) -> dict[str, int]:
    stages = max(3, n // 100)
    teams = max(2, n // 50)
    people = max(3, n // 10)
    slas = max(2, n // 20)
    rest = max(2, n - stages - teams - people - slas)
    competitors = rest // 2
    return {"stages": stages, "teams": teams, "people": people, "slas": slas,
            "competitors": competitors, "personas": rest - competitors}


class Synth:
    def __init__(self, n: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.counts = _counts(n)
        self.ids = {c: [f"{c[:-1]}-{i:05d}" for i in range(k)] for c, k in self.counts.items()}

    def text(self, words: int) -> str:
        out = " ".join(self.rng.choice(WORDS) for _ in range(words))
        return out[0].upper() + out[1:] + "."

    def pick(self, collection: str, k: int = 1) -> list[str]:
        ids = self.ids[collection]
        return self.rng.sample(ids, min(k, len(ids)))

    def reviewed(self) -> str:
        return (TODAY - timedelta(days=self.rng.randint(0, 400))).isoformat()

    def common(self, title: str, owners: tuple[str, ...] = ("people", "teams")) -> dict[str, object]:
        return {"title": title, "owner": self.pick(self.rng.choice(owners))[0],
                "last_reviewed": self.reviewed(), "summary": self.text(14)}

    def record(self, collection: str, index: int) -> dict[str, object]:
        return getattr(self, collection)(index)

    def stages(self, i: int) -> dict[str, object]:
        data = self.common(f"Stage {i + 1}: {self.rng.choice(WORDS)}")
        data.update(abbreviation=f"S{i + 1}", order=i + 1, definition=self.text(30),
                    entry_criteria=[self.text(6) for _ in range(3)], owning_team=self.pick("teams")[0])
        if i + 1 < self.counts["stages"]:
            data["next_stages"] = [self.ids["stages"][i + 1]]
        return data

    def teams(self, i: int) -> dict[str, object]:
        data = self.common(f"Team {self.rng.choice(WORDS).title()} {i}", owners=("people",))
        data["github"] = f"example/team-{i}"
        return data

    def people(self, i: int) -> dict[str, object]:
        name = f"{self.rng.choice(NAMES)} {self.rng.choice(SURNAMES)} {i}"
        data = self.common(name, owners=("teams",))
        data.update(role=self.text(3).rstrip("."), team=self.pick("teams")[0], github=f"user-{i}")
        return data

    def slas(self, i: int) -> dict[str, object]:
        provider, consumer = self.pick("teams", 2)
        data = self.common(f"Agreement {i}: {self.rng.choice(WORDS)} follow-up")
        data.update(provider=provider, consumer=consumer, stages=self.pick("stages", 2),
                    commitment=self.text(12), target=f"Within {self.rng.randint(1, 48)} working hours",
                    escalation=[{"after": f"{d} working days", "action": self.text(8)} for d in (1, 3)])
        return data

    def competitors(self, i: int) -> dict[str, object]:
        data = self.common(f"Competitor {i} {self.rng.choice(WORDS).title()}")
        data.update(
            website=f"https://www.competitor-{i}.com/",  # not a reserved example address: a placeholder
            segment=self.rng.choice(["enterprise", "mid-market", "smb"]),
            threat=self.rng.choice(["high", "medium", "low"]),
            strengths=[self.text(8) for _ in range(3)],
            weaknesses=[self.text(8) for _ in range(3)],
            objections=[{"objection": self.text(9), "response": self.text(18)} for _ in range(2)],
            pricing={"model": self.rng.choice(["per-seat", "usage", "flat", "custom"]),
                     "entry_price": f"{self.rng.randint(10, 90)} EUR per seat per month",
                     "discounting": self.text(8)},
            targets=self.pick("personas", 3),
            battlecard_team=self.pick("teams")[0],
        )
        return data

    def personas(self, i: int) -> dict[str, object]:
        data = self.common(f"Persona {i}: {self.rng.choice(WORDS).title()} lead")
        data.update(
            role=self.text(3).rstrip("."),
            seniority=self.rng.choice(["individual", "manager", "director", "executive"]),
            buying_role=self.rng.choice(["champion", "economic buyer", "user", "blocker"]),
            company_size={"min_employees": 50, "max_employees": 5000},
            goals=[self.text(8) for _ in range(3)],
            pains=[self.text(8) for _ in range(3)],
            channels=self.rng.sample(["events", "peers", "analysts", "search", "social", "email"], 3),
            messages=[{"stage": s, "message": self.text(14)} for s in self.pick("stages", 2)],
            competitors=self.pick("competitors", 2),
        )
        return data


MKDOCS = """\
site_name: Synthetic playbook ({n} records)
repo_url: https://github.com/example/playbook
edit_uri: edit/main/docs/
theme:
  name: material
  features: [content.action.edit, navigation.indexes, navigation.prune]
plugins:
  - search
  - playbook:
      today: "{today}"
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
validation:
  omitted_files: info
"""


def write_playbook(root: Path, n: int, seed: int = 7) -> dict[str, int]:
    """Write a playbook of ``n`` records under ``root`` (created); return records per collection."""
    synth = Synth(n, seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "schemas", root / "schemas", dirs_exist_ok=True)
    for schema in SCHEMAS.glob("*.schema.json"):
        shutil.copy(schema, root / "schemas" / schema.name)
    shutil.copytree(FIXTURE / "templates", root / "templates", dirs_exist_ok=True)
    shutil.copytree(FIXTURE / "docs", root / "docs", dirs_exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS.format(n=n, today=TODAY.isoformat()), encoding="utf-8")
    for collection, ids in synth.ids.items():
        folder = root / "content" / collection
        folder.mkdir(parents=True, exist_ok=True)
        for index, record_id in enumerate(ids):
            text = yaml.safe_dump(synth.record(collection, index), sort_keys=False, allow_unicode=True,
                                  width=100)
            (folder / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    return dict(synth.counts)
