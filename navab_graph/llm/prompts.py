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


# One worked example per step: (keyword arguments of the step, the JSON answer). The `json_mode` and `text`
# structured-output methods show it as a demonstration turn before the real question (small models answer in
# JSON after one example, and not from a schema alone). English on purpose: the step's prompt says which
# language to write in.
EXAMPLES: dict[str, tuple[dict, dict]] = {
    "label_topic": ({"keywords": ["pension", "retirement", "age", "reform"],
                     "docs": ["The government will raise the retirement age to 64, the minister said."]},
                    {"label": "Pension Reform"}),
    "tag_documents": ({"docs": ["The minister said the state must protect press freedom.",
                                "The national team won the cup final 2-1."]},
                      {"tags": [{"tag": "Press freedom", "explanation": "the state's duty to protect the press"},
                                {"tag": "Football", "explanation": "a cup final result"}]}),
    "screen_topic": ({"label": "Press freedom", "keywords": ["press", "freedom", "journalists"],
                      "docs": ["The minister said the state must protect press freedom."]},
                     {"value_related": True, "reason": "It takes a position on a civil liberty."}),
    "extract": ({"text": "Minister Anna Berg of the Finance Ministry said on Monday in Oslo that the government "
                         "must protect pensions."},
                {"statements": [{"text": "The government must protect pensions.", "speaker": "Anna Berg",
                                 "organization": "Finance Ministry"}],
                 "organizations": ["Finance Ministry"], "locations": ["Oslo"]}),
    "judge_source": ({"statement": "The government must protect pensions, Anna Berg said.", "context": ""},
                     {"kind": "quoted", "speaker": "Anna Berg"}),
    "construct": ({"statement": "The government must protect pensions."},
                  {"question": "Should the government protect pensions?",
                   "statement": "The government must protect pensions.",
                   "reverse": "The government need not protect pensions."}),
    "verify_conflict": ({"a": "The state must protect press freedom.", "b": "The state should censor the press."},
                        {"relation": "conflict", "reason": "Both are about press freedom, with opposite stances."}),
}
