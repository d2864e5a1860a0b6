"""Stories saved in the workspace, beside the datasets: ``<workspace>/stories/<id>.json``.

A story's id is random (:data:`ID_BYTES` bytes from ``secrets``, in hex), so a link to a story
cannot be guessed from another. Saving writes a temporary file in the same directory and
renames it over the story (``os.replace``): a story on disk is always complete. Stories count
towards the workspace's quota (``Workspace.used_bytes`` includes this directory); a save that
would exceed it raises ``WorkspaceFull``.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from i18n import _
from render.story import Story, StoryError, story_from_json
from webapp.workspace import Workspace, WorkspaceFull

STORIES_DIR = "stories"
ID_BYTES = 12
_ID = re.compile(r"^[0-9a-f]{24}$")


def is_story_id(text: str) -> bool:
    """Return True when ``text`` has the form of a story id (24 lower-case hex digits)."""
    return bool(_ID.match(text))


class StoryStore:
    """The stories of one workspace.

    Parameters
    ----------
    workspace
        The workspace whose directory (and quota) the stories share.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.root = workspace.root / STORIES_DIR

    def new_id(self) -> str:
        """Return a fresh, unguessable story id."""
        return secrets.token_hex(ID_BYTES)

    def path(self, story_id: str) -> Path:
        """Return the file of story ``story_id``.

        Raises
        ------
        StoryError
            ``story_id`` is not a story id.
        """
        if not is_story_id(story_id):
            raise StoryError(
                _("{id} is not a story id (24 letters a–f and digits).").format(id=story_id[:40])
            )
        return self.root / f"{story_id}.json"

    def load(self, story_id: str) -> Story | None:
        """Return the saved story, or None when there is none under ``story_id``.

        Raises
        ------
        StoryError
            The id is malformed, or the file is damaged (the message says how).
        """
        try:
            text = self.path(story_id).read_text("utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            text = "\ufffd"  # not UTF-8: reported as not JSON below
        try:
            return story_from_json(text)
        except StoryError as error:
            raise StoryError(
                _("The saved story {id} cannot be read: {problem}").format(
                    id=story_id, problem=error
                )
            ) from None

    def save(self, story_id: str, story: Story) -> None:
        """Write ``story`` under ``story_id`` atomically.

        Raises
        ------
        WorkspaceFull
            The story would take the workspace beyond its quota; nothing is written.
        """
        target = self.path(story_id)
        content = story.to_json().encode("utf-8")
        old = target.stat().st_size if target.exists() else 0
        used = self.workspace.used_bytes()
        if used - old + len(content) > self.workspace.quota_bytes:
            raise WorkspaceFull(self.workspace.quota_bytes, used, len(content))
        self.root.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def delete(self, story_id: str) -> None:
        """Delete a saved story (nothing happens when it is gone already)."""
        self.path(story_id).unlink(missing_ok=True)
