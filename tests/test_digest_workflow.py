"""The weekly digest workflow and the history the publish workflow fetches (the structure and
security lints of every workflow are in tests/test_workflows.py)."""

from __future__ import annotations

from pathlib import Path

from generator.content.loader import load_yaml

WORKFLOWS = Path(__file__).parent.parent / ".github" / "workflows"


def load(name: str) -> dict:
    return load_yaml((WORKFLOWS / name).read_bytes()).data


def test_digest_runs_weekly_read_only_with_secrets_only_in_env() -> None:
    data = load("digest.yml")
    assert data["on"]["schedule"] == [{"cron": "41 6 * * 1"}]
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 0}
    step = job["steps"][-1]
    assert step["run"] == 'playbook digest --summary "$GITHUB_STEP_SUMMARY"'
    assert step["env"] == {
        "PLAYBOOK_SLACK_WEBHOOK": "${{ secrets.PLAYBOOK_SLACK_WEBHOOK }}",
        "PLAYBOOK_TEAMS_WEBHOOK": "${{ secrets.PLAYBOOK_TEAMS_WEBHOOK }}",
        "PLAYBOOK_SITE_URL": "${{ vars.PLAYBOOK_SITE_URL }}",
    }
    assert all("secrets." not in s.get("run", "") for s in job["steps"])


def test_digest_secrets_live_in_an_environment_of_the_default_branch() -> None:
    """Issue 24, point 15: anyone who can push a branch can dispatch the workflow with changed
    code; the webhook secrets are read in the `digest` environment (restricted to the default
    branch on GitHub's side, see its header) and only by a run of the default branch."""
    (job,) = load("digest.yml")["jobs"].values()
    assert job["environment"] == "digest"
    assert job["if"] == "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    header = (WORKFLOWS / "digest.yml").read_text().split("\nname:")[0]
    assert 'New environment "digest"' in header and "the default branch only" in header


def test_publish_fetches_the_whole_history() -> None:
    build = load("publish.yml")["jobs"]["build"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
