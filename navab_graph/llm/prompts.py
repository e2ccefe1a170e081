"""Prompt files: navab_graph/prompts/<step>.<lang>.txt (falling back to <step>.en.txt), `[system]` and `[user]`
sections, `$name` placeholders (string.Template, so JSON braces in prompts need no escaping)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"
LANGUAGE_NAMES = {"zh": "Chinese (简体中文)", "en": "English", "fr": "French (français)", "de": "German (Deutsch)",
                  "es": "Spanish", "it": "Italian", "pt": "Portuguese", "ja": "Japanese", "ko": "Korean",
                  "ru": "Russian"}


@lru_cache(maxsize=None)
def load(step: str, lang: str) -> tuple[str, str]:
    """(system, user) templates of a step for a language."""
    for name in (f"{step}.{lang}.txt", f"{step}.en.txt"):
        path = PROMPT_DIR / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if "[system]" not in text or "[user]" not in text:
                raise ValueError(f"prompt file {path}: needs a [system] and a [user] section")
            system, user = text.split("[user]", 1)
            return system.replace("[system]", "", 1).strip(), user.strip()
    raise FileNotFoundError(f"no prompt file for step {step!r} (looked for {step}.{lang}.txt and {step}.en.txt "
                            f"in {PROMPT_DIR})")


def render(step: str, lang: str, **values: str) -> list[tuple[str, str]]:
    """Chat messages [(role, content)] for a step; the language name is always available as $language."""
    system, user = load(step, lang)
    values = {"language": LANGUAGE_NAMES.get(lang, lang), **values}
    return [("system", Template(system).safe_substitute(values)), ("user", Template(user).safe_substitute(values))]
