"""The languages of MMMLU, their names on the card, and the o1 card's published accuracy."""

from __future__ import annotations

ENGLISH = "EN_US"

LANGUAGES: dict[str, str] = {
    "AR_XY": "Arabic",
    "BN_BD": "Bengali",
    "DE_DE": "German",
    "ES_LA": "Spanish",
    "FR_FR": "French",
    "HI_IN": "Hindi",
    "ID_ID": "Indonesian",
    "IT_IT": "Italian",
    "JA_JP": "Japanese",
    "KO_KR": "Korean",
    "PT_BR": "Portuguese (Brazil)",
    "SW_KE": "Swahili",
    "YO_NG": "Yoruba",
    "ZH_CN": "Chinese",
    ENGLISH: "English",
}
"""Language code (as in openai/MMMLU's file names) → name used on the card."""

PUBLISHED: dict[str, dict[str, float]] = {
    "AR_XY": {"o1": 0.890, "gpt-4o": 0.816},
    "BN_BD": {"o1": 0.873, "gpt-4o": 0.801},
    "DE_DE": {"o1": 0.890, "gpt-4o": 0.829},
    "ES_LA": {"o1": 0.899, "gpt-4o": 0.849},
    "FR_FR": {"o1": 0.893, "gpt-4o": 0.844},
    "HI_IN": {"o1": 0.883, "gpt-4o": 0.806},
    "ID_ID": {"o1": 0.886, "gpt-4o": 0.834},
    "IT_IT": {"o1": 0.897, "gpt-4o": 0.844},
    "JA_JP": {"o1": 0.889, "gpt-4o": 0.829},
    "KO_KR": {"o1": 0.882, "gpt-4o": 0.826},
    "PT_BR": {"o1": 0.895, "gpt-4o": 0.843},
    "SW_KE": {"o1": 0.854, "gpt-4o": 0.771},
    "YO_NG": {"o1": 0.754, "gpt-4o": 0.620},
    "ZH_CN": {"o1": 0.889, "gpt-4o": 0.834},
    ENGLISH: {"o1": 0.923, "gpt-4o": 0.887},
}
"""0-shot accuracy published in the o1 System Card (SPEC §10), shown beside a model's own."""
