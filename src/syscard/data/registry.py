"""Registry of the public datasets syscard can use: where each comes from, pinned.

Every dataset is declared once here with the repository (or Hugging Face hub id) it is
downloaded from, the revision that is pinned, its licence and one :class:`DataFile` per file
with the raw-file URL at that revision and the file's full sha256 digest. The project never
commits third-party data: :func:`syscard.data.store.fetch` downloads these files into a local
cache, and :func:`syscard.data.store.add` imports a local copy; both verify the digests.

Digests were computed from the local copies described in ``shared/datasets/*/PROVENANCE.md``
(each matches the 16-hex prefix printed there). ``sha256=None`` marks a file the project has
never seen: its digest is recorded the first time it is fetched or added and checked afterwards.
Where the official repository could not be reached, the URL pins the mirror the local copy came
from and ``notes`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["DATASETS", "DataFile", "DatasetSpec", "get_spec"]


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset.

    ``path`` is relative to the dataset folder (POSIX separators), ``url`` the raw download URL
    pinned at a revision, ``sha256`` the full hex digest or ``None`` if never seen.
    """

    path: str
    url: str
    sha256: str | None


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset: canonical source, pinned revision, licence and files."""

    name: str
    title: str
    source: str
    revision: str
    license: str
    files: tuple[DataFile, ...]
    citation: str = ""
    notes: str = ""

    def file(self, path: str) -> DataFile:
        """Return the declared file at ``path``; raise :class:`DataError` if it is not declared."""
        from syscard.data.store import DataError  # store imports this module

        for f in self.files:
            if f.path == path:
                return f
        raise DataError(f"dataset '{self.name}' declares no file '{path}'")

    @property
    def pinned(self) -> bool:
        """True when ``revision`` is a full 40-hex commit id (not a branch name)."""
        rev = self.revision
        return len(rev) == 40 and all(c in "0123456789abcdef" for c in rev)


def _github(
    repo: str, revision: str, prefix: str, entries: tuple[tuple[str, str | None], ...]
) -> tuple[DataFile, ...]:
    """Files of a GitHub repository: ``prefix + path`` is the path inside the repository."""
    return tuple(
        DataFile(
            path,
            f"https://raw.githubusercontent.com/{repo}/{revision}/{quote(prefix + path)}",
            sha,
        )
        for path, sha in entries
    )


def _hf(
    repo: str, revision: str, prefix: str, entries: tuple[tuple[str, str | None], ...]
) -> tuple[DataFile, ...]:
    """Files of a Hugging Face dataset repository at ``revision``."""
    return tuple(
        DataFile(
            path,
            f"https://huggingface.co/datasets/{repo}/resolve/{revision}/{quote(prefix + path)}",
            sha,
        )
        for path, sha in entries
    )


# --- digests (sha256 of the local copies; None = never seen) ---------------------------------

_XSTEST: tuple[tuple[str, str | None], ...] = (
    ("xstest_prompts.csv", "11783fb294ed017473ee53c207d71f2161c7672c8d0b037501e78387f801cb5a"),
)

_STRONGREJECT_CSV: tuple[tuple[str, str | None], ...] = (
    (
        "strongreject_dataset.csv",
        "4dd70357e4ff8b5d0ba5ebafecab5d6dd5633ce8046e3dd1c8bd93e64de44381",
    ),
)

_STRONGREJECT_PACKAGE: tuple[tuple[str, str | None], ...] = (
    (
        "eval_files/category_detection.txt",
        "d726b3f9248e4d6738ee28beed2b43d959c7c2015ad6a31eedb19d6ac0b4a93b",
    ),
    (
        "eval_files/judge_templates.json",
        "722d5aacfc6ae769d475d3cc8293b8f59fa03194cd5fa22be187e1591322350c",
    ),
    (
        "eval_files/openai_usage_policy.txt",
        "3283edc5d1f1209d5143ff2b4b2a84422a66e2081c13245e03f2d6382c3258e1",
    ),
    (
        "eval_files/string_matching.txt",
        "9e7129b46498f807b3be954058ef61537cea5fc6e31bf626c65555b2964f3e1d",
    ),
    (
        "jailbreak_files/pair_templates.json",
        "e8b4a5efc1425c0d0e59e127b4b1a17814f53ffba9b6239b36ab9b84d9ba663c",
    ),
    (
        "jailbreak_files/pap_persuasion_templates.json",
        "6d92b7eaeb40b6b0fc9f90e4c37c3f3695b7a79e04e5c6e43b960fdb9283ac15",
    ),
    (
        "jailbreak_files/wrapping_jailbreaks.json",
        "805a29aec6b2d7129ce044663da73fcca219786cba863514ebc533180d580746",
    ),
)

_HARMBENCH_OFFICIAL: tuple[tuple[str, str | None], ...] = (
    (
        "harmbench_behaviors_text_test.csv",
        "75d257b3e7428c52eb7b0154318f455af3e01b09a3794b5e2f3d36054f3c0e29",
    ),
    (
        "harmbench_behaviors_text_val.csv",
        "7bfaaa5e2b9b95002c89e2d33c019f58e9e8496e2fc65d368f1eeb8179e69534",
    ),
)

_HARMBENCH_BEHAVIORS_MIRROR: tuple[tuple[str, str | None], ...] = (
    (
        "harmbench_behaviors_text_all.csv",
        "8d81accedd38eaaf8b760618622bb888417d1fd0c86eba65c427a16f1cbb4afc",
    ),
    (
        "harmbench_behaviors_multimodal_all.csv",
        "0a4dd6bd0df2a52d1d9ee25f3d018af49b52b61ee2ccdaaac16b9660f753145d",
    ),
)

_HARMBENCH_TARGETS_MIRROR: tuple[tuple[str, str | None], ...] = (
    (
        "harmbench_targets_text.json",
        "dedcac1f8c0108ca79e36589ef9693d5af916ed70878e60fb2c4c20482872e3f",
    ),
)

_JBB: tuple[tuple[str, str | None], ...] = (
    ("benign-behaviors.csv", "3cda234d21a991fa309bbfea4b6d9dae31ccdf8e9d452424b6a983e4fdc33468"),
    ("harmful-behaviors.csv", "4a8ec6832056b631eb092dccc60d37a61c3d441268268888b3d006288afeffa1"),
)

_ADVBENCH: tuple[tuple[str, str | None], ...] = (
    ("harmful_behaviors.csv", "6cd1a5c63c07610d7eb67307772ee5606017ee950b5770ab288a2c487489d3e1"),
    ("harmful_strings.csv", "2c4751403195634f88eb849d923670cb2d9a883bcc3d74456bf2f08141424a15"),
)

_SIMPLEQA: tuple[tuple[str, str | None], ...] = (
    ("simple_qa_test_set.csv", "cb26203a6b31e91f176a32df2a6fe5eab0c69be9ef1b8cf00ebe6f2e4d5b02b4"),
)

_BBQ: tuple[tuple[str, str | None], ...] = (
    ("data/Age.jsonl", "46e805b3fc2d8cbd26eeb8e8430d98cf7b2dc9c83574ff3674e8ce4f0fca2a60"),
    (
        "data/Disability_status.jsonl",
        "375d40d9b71f056150264445ec189b13934998f3f49a1e311aa7578eb3b45e5f",
    ),
    ("data/Gender_identity.jsonl", None),
    ("data/Nationality.jsonl", "a583e74666aec0341ded8aa3983e7cad694eb24de72c254d28b2df3035720090"),
    (
        "data/Physical_appearance.jsonl",
        "e48d7e13508565f4801574e611043470c25c95a0a62af3699cb5ee7cb02608fb",
    ),
    ("data/Race_ethnicity.jsonl", None),
    ("data/Race_x_SES.jsonl", None),
    ("data/Race_x_gender.jsonl", None),
    ("data/Religion.jsonl", "cb9555f9f3454a52cd2df85956b59bd7fcca5aa922c8527693b1164d08417616"),
    ("data/SES.jsonl", None),
    (
        "data/Sexual_orientation.jsonl",
        "2c71036b9e7584fe589c42aef32c1a42bc01b9a5e9b1b8704342630cdb08cefd",
    ),
)

_TENSOR_TRUST: tuple[tuple[str, str | None], ...] = (
    (
        "benchmarks/extraction-robustness/v1/extraction_robustness_dataset.jsonl",
        "4090f9f57b6df69cc32d7669ac991e3fd53e6e2bb616a5e6f45dac79c183ee4c",
    ),
    (
        "benchmarks/hijacking-robustness/v1/hijacking_robustness_dataset.jsonl",
        "2ad3c2343bbf43cb1924f3ec5d6f830864ce3c879e9832b01d93a991e7e2e680",
    ),
)

_IHEVAL: tuple[tuple[str, str | None], ...] = (
    (
        "benchmark/rule-following/multi-turn/aligned/default_system_prompt/input_data.json",
        "33621c295e108ce23ddd731d4e7ae715ba8790c5ed10dd36285f3f02b8e2dc45",
    ),
    (
        "benchmark/rule-following/multi-turn/aligned/strong_system_prompt/input_data.json",
        "3566dc5e023861ae93b5b185ed4c0c35488af3bf49d9a8f8946e86681038ff49",
    ),
    (
        "benchmark/rule-following/multi-turn/conflict/both-turn-conflict-default-system-prompt/input_data.json",
        "767838768956ccf9eb6ed1aa69613f0f27dcfbdb844464cd7c706dc451d9d794",
    ),
    (
        "benchmark/rule-following/multi-turn/conflict/both-turn-conflict-strong-system-prompt/input_data.json",
        "1bf40fcf6bd96d9da04bd85ad859f90435b7592c88458f49fac7ccc158cf8eb5",
    ),
    (
        "benchmark/rule-following/multi-turn/conflict/first-turn-conflict-default-system-prompt/input_data.json",
        "d55fedeb91310d75c06811f7c828c7fd8a179ae8c996f2ccc06289a06f54cf36",
    ),
    (
        "benchmark/rule-following/multi-turn/conflict/first-turn-conflict-strong-system-prompt/input_data.json",
        "ea4d3899bce91e2ebb774b69641227b378cd8f8413c85ce45859f430f1d0f2ea",
    ),
    (
        "benchmark/rule-following/multi-turn/reference/default/input_data.json",
        "e1f7f0e4f205daf4292309d98a200155bde3b10640b6c30fe3ec0fa899a46170",
    ),
    (
        "benchmark/rule-following/single-turn/aligned/default/input_data.json",
        "f86753915268d12c957f7aa76817d6b0abfbf9b4d492cf18d28dd436bd434860",
    ),
    (
        "benchmark/rule-following/single-turn/conflict/default/input_data.json",
        "6d8c3c458169d85ed7a763fdc05405f038db8b61fbac74dfa972509ead6904c3",
    ),
    (
        "benchmark/rule-following/single-turn/reference/default/input_data.json",
        "88ae3ed5a33824428eac73d3d5471faba55641052171b10f283273844dba7798",
    ),
    (
        "benchmark/safety/align_data.json",
        "dd1d48fd4e22d90a032622dbf2dee5c509b558592b637f039b57448ab3a44704",
    ),
    (
        "benchmark/safety/attack_data.json",
        "db3837d9f041c034034280aaa0856b5e3f048e67265d8bf2a8be3115282b40d6",
    ),
    (
        "benchmark/safety/system-prompt-extract/aligned/default/input_data.json",
        "953709da9529cf4aaf609404808faf8ddca7ea3938e0c3af535ea4499959a8d1",
    ),
    (
        "benchmark/safety/system-prompt-extract/conflict/strong_defense/input_data.json",
        "3e389b09405b519acfc2a558e93b1266ecd2e8a8ea676c3782b17924e9873c39",
    ),
    (
        "benchmark/safety/system-prompt-extract/conflict/weak_defense/input_data.json",
        "4644f102b815ef636adac80b057c0d775019720919e39de9afe4a650fd1ea534",
    ),
    (
        "benchmark/safety/system-prompt-extract/reference/default/input_data.json",
        "9d83918c1185a7b4f64eb64774beb22bf5e9163bf43aadf9d3944ebb69f2d215",
    ),
    (
        "benchmark/safety/user-prompt-hijack/aligned/default/input_data.json",
        "a88a4ff7a8d2ffad84b6992e8ecf2f412daf61c1a46ba7f6750415fd2524d985",
    ),
    (
        "benchmark/safety/user-prompt-hijack/conflict/strong_defense/input_data.json",
        "2b84dec35e4afe4ac52b26b3eba819353f112895d6f32dede966b8c7a7300f22",
    ),
    (
        "benchmark/safety/user-prompt-hijack/conflict/weak_defense/input_data.json",
        "e1d1932155edaf008c662665d5d4be1d2dfb527358270259303ed3808d5db27a",
    ),
    (
        "benchmark/safety/user-prompt-hijack/reference/default/input_data.json",
        "015619d252d4c3e2b497a5dd1a0a0b46b979ff040944d2bc64cac175bf643ec8",
    ),
    (
        "benchmark/task-execution/lang-detect/aligned/system_lang_detect_strong/input_data.json",
        "c41111840f95749a34b474cc768475a201b6d6b0b641a2f03f9cbb10f494429d",
    ),
    (
        "benchmark/task-execution/lang-detect/aligned/system_lang_detect_weak/input_data.json",
        "128984cd9e9253dc65ece588120caff2a363569fbdd0764023cfddbbf95286fb",
    ),
    (
        "benchmark/task-execution/lang-detect/conflict/system_lang_detect_strong_user_sum_strong/input_data.json",
        "1906fcdc99f51a60735aeee0c267cd5315f87af7bab51ed9b7425b13e0e1c9a4",
    ),
    (
        "benchmark/task-execution/lang-detect/conflict/system_lang_detect_strong_user_sum_weak/input_data.json",
        "33e8f620a966fd35c85c3610a8b84ac250a8f7f8256d771c6051f27ac90c0548",
    ),
    (
        "benchmark/task-execution/lang-detect/conflict/system_lang_detect_weak_user_sum_strong/input_data.json",
        "0b0d5a1bf5e56587458b9347d847e133c606d2c0d3237c56a403582de884fd46",
    ),
    (
        "benchmark/task-execution/lang-detect/conflict/system_lang_detect_weak_user_sum_weak/input_data.json",
        "eb98a18ec116f74b79b0605eca75d18bf9ac10ec446eb4aad5bb7483f02f37d7",
    ),
    (
        "benchmark/task-execution/lang-detect/reference/default/input_data.json",
        "0b50e294cf48e165f779cf2801e5db03188de747f14c57993d874eb3a6a86306",
    ),
    (
        "benchmark/task-execution/lang-detect/xlsum_en_zh_es_240.json",
        "b997ed6abaa4bf945fdc06a183853f41c875b4ce4d84ad1bd807956532737dcd",
    ),
    (
        "benchmark/task-execution/translation/aligned/system_translation_strong/input_data.json",
        "e56cdf3db0dc86fb599d4f2bf81a4a7b1b70dc7c027f087a80d602da29ce9b8c",
    ),
    (
        "benchmark/task-execution/translation/aligned/system_translation_weak/input_data.json",
        "6f37857dc514ca16780fddc3eb88ccc0fb4188d63e4aceec939335c2b39919c9",
    ),
    (
        "benchmark/task-execution/translation/conflict/system_translation_strong_user_mathqa_strong/input_data.json",
        "5ea29c76a0f4ec9fd4570e0dbf54c56b95d128df822373233253468536fec798",
    ),
    (
        "benchmark/task-execution/translation/conflict/system_translation_strong_user_mathqa_weak/input_data.json",
        "74b1befd8c230452d60f996467115cdec49ca127d130614613d1185490d13f69",
    ),
    (
        "benchmark/task-execution/translation/conflict/system_translation_weak_user_mathqa_strong/input_data.json",
        "11ad02508c16676d36c1b14a369f3830ef25e2b1ee74d942f4cf15b6406ef312",
    ),
    (
        "benchmark/task-execution/translation/conflict/system_translation_weak_user_mathqa_weak/input_data.json",
        "7a52e70c6b8744aaaa5a03cdf9597aa6f69b2f4ed02e51c265bdfbacab5ae6ad",
    ),
    (
        "benchmark/task-execution/translation/mgsm_en_es.json",
        "bdfac1116d0e25021b58dc6bc30896ae70a53c3f0c003ea06763ac4e38afda4b",
    ),
    (
        "benchmark/task-execution/translation/reference/default/input_data.json",
        "c6b2c409f42b762c8918ca1fcc027bb1e9d7f46da7c7c6f319ed8f3c7b60e84b",
    ),
    (
        "benchmark/task-execution/verb-extract/aligned/system_verb_extract_strong/input_data.json",
        "57caeb5904c10728a311337068e50a8c79db9ae7f4e2c0ddeec5344e150c71b7",
    ),
    (
        "benchmark/task-execution/verb-extract/aligned/system_verb_extract_weak/input_data.json",
        "4bf1e14c5511c41685e9e1c6b2c598a4e1e503cc59e0ce15b655029d61f3b681",
    ),
    (
        "benchmark/task-execution/verb-extract/conflict/system_verb_extract_strong_user_translate_strong/input_data.json",
        "d77abe63acd628a9ca73186c8950d8774016a11006c2d6132f169f3def22f434",
    ),
    (
        "benchmark/task-execution/verb-extract/conflict/system_verb_extract_strong_user_translate_weak/input_data.json",
        "2615f9fa9b638d0d9bdf7054c420923b696648c2ea6240fd1b5fb8a5105aebf9",
    ),
    (
        "benchmark/task-execution/verb-extract/conflict/system_verb_extract_weak_user_translate_strong/input_data.json",
        "a5f5035498376d6a1a47ad159761eb08f2c64e41361b6bd2ccb3f53ff403b35f",
    ),
    (
        "benchmark/task-execution/verb-extract/conflict/system_verb_extract_weak_user_translate_weak/input_data.json",
        "24c15ad15a0f72c30050c82362d2bfa7f9f300577881ddd2d8bb15a7a4e08c78",
    ),
    (
        "benchmark/task-execution/verb-extract/ontonotes_250.json",
        "fb515efa0d87154787d27b27a6a5f55b1bf0b10e7aef9abaee40ac43ac62c3f4",
    ),
    (
        "benchmark/task-execution/verb-extract/reference/default/input_data.json",
        "1a2b4c16dcf4013623faf47e5574534f82f09f4736f21b2630c2d574ec9cbb44",
    ),
    (
        "benchmark/tool-use/get-webpage/aligned/default/input_data.json",
        "cc8927c2d241190c32809db230a101db26a0b81c8cbe4a3cb3618c80d40b161d",
    ),
    (
        "benchmark/tool-use/get-webpage/conflict/tool_prompt_strong/input_data.json",
        "e0b76142b842fca6f11cc1b35ccee5fa3bf672a33c19ffd8ccfae719f4ddb6de",
    ),
    (
        "benchmark/tool-use/get-webpage/conflict/tool_prompt_weak/input_data.json",
        "35214adf6f03aa60ab80f81672501704501d5775a99969f0d7ea4db14e3cd659",
    ),
    (
        "benchmark/tool-use/get-webpage/data.json",
        "c5014ed301038a7bf3ef4f185008945804addabe2ff09c4b48b9016799bb7c0d",
    ),
    (
        "benchmark/tool-use/get-webpage/reference/default/input_data.json",
        "f9836dc2541a7cd62214ae220f684cfd4e78848201033b6c348fd66b38556259",
    ),
    (
        "benchmark/tool-use/get-webpage/tool.json",
        "5cbed5736995c035a942a35633aa1f3f37be9e6b57135399f7b45a5496e60515",
    ),
    (
        "benchmark/tool-use/slack-user/aligned/default/input_data.json",
        "f9556cc3730902bb4cfca5abe018eb2dbf3a1e3b49e61c025a65ef401e1f9603",
    ),
    (
        "benchmark/tool-use/slack-user/conflict/tool_prompt_strong/input_data.json",
        "1e4a4a2018b5d3954021d44f76b32a0861361193c44a988a4deddb0235c505a2",
    ),
    (
        "benchmark/tool-use/slack-user/conflict/tool_prompt_weak/input_data.json",
        "8844150e3273304561add6814b6e8d51cf8fdcd5336235954e3b35c4f3a5c420",
    ),
    (
        "benchmark/tool-use/slack-user/probe_questions.json",
        "95c6915b802df09d6618655eb2edf31631820c8c200574fc5dcb0043afc60d63",
    ),
    (
        "benchmark/tool-use/slack-user/reference/default/input_data.json",
        "22760d6e4cff88dc4bda47eab45829027dcb007c5b09d604105c19d1ab2ae400",
    ),
)

_MMMLU: tuple[tuple[str, str | None], ...] = (
    ("test/mmlu_AR_XY.csv", None),
    ("test/mmlu_BN_BD.csv", None),
    ("test/mmlu_DE_DE.csv", None),
    ("test/mmlu_ES_LA.csv", None),
    ("test/mmlu_FR_FR.csv", None),
    ("test/mmlu_HI_IN.csv", None),
    ("test/mmlu_ID_ID.csv", None),
    ("test/mmlu_IT_IT.csv", None),
    ("test/mmlu_JA_JP.csv", None),
    ("test/mmlu_KO_KR.csv", None),
    ("test/mmlu_PT_BR.csv", None),
    ("test/mmlu_SW_KE.csv", None),
    ("test/mmlu_YO_NG.csv", None),
    ("test/mmlu_ZH_CN.csv", None),
)

_DISCRIM_EVAL: tuple[tuple[str, str | None], ...] = (
    ("explicit.jsonl", None),
    ("implicit.jsonl", None),
)

_WMDP: tuple[tuple[str, str | None], ...] = (
    ("wmdp-bio/test-00000-of-00001.parquet", None),
    ("wmdp-chem/test-00000-of-00001.parquet", None),
    ("wmdp-cyber/test-00000-of-00001.parquet", None),
)


# --- pinned revisions ---------------------------------------------------------------------------

_XSTEST_REV = "d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d"  # paul-rottger/exaggerated-safety
_ADVERSARIALLM_SR_REV = "f970939273ea17b491fadf6001fddc36ed3ae3ff"  # busycalibrating/AdversariaLLM
_SRS_REV = "93915bdc409d26ca382a2cae41c48e96978f97b5"  # BMPixel/safety-residual-space
_HARMBENCH_REV = "8e1604d1171fe8a48d8febecd22f600e462bdcdd"  # centerforaisafety/HarmBench
_ADVERSARIALLM_HB_REV = "a4b57364bc2b0785bd0e6f79eec4948e3991b8b0"  # busycalibrating/AdversariaLLM
_JBB_MIRROR_REV = "f7ba70256f082d67f857b6a76f962f58acbefc8a"  # AnthonyRonning/promptfoo-workshop
_ADVBENCH_REV = "098262edf85f807224e70ecd87b9d83716bf6b73"  # llm-attacks/llm-attacks
_SIMPLEQA_MIRROR_REV = "ec7aa06dc5ead71821a3d92ea56e54a8a9d16ece"  # sentient-agi/OpenDeepSearch
_BBQ_REV = "bea11bd97d79217245b5871acd247b9d6eb24598"  # nyu-mll/BBQ
_TENSOR_TRUST_REV = "e2385ea9cf448c9641b96e2e39f113ed4979a5b0"  # HumanCompatibleAI/tensor-trust…
_IHEVAL_REV = "726a62924c3050045954df94347d53fe2bd1090d"  # ytyz1307zzh/IHEval
_UNPINNED = "main"  # datasets never fetched by the project: no commit known yet

_UNSEEN = (
    "Never fetched by the project: the revision is the branch 'main' (not pinned) and the file "
    "list follows the dataset card, unverified. sha256 is recorded on the first `syscard data "
    "fetch`/`add` and checked afterwards; pin a commit here once one has been checked."
)

_SPECS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="xstest",
        title="XSTest v2 (exaggerated safety / over-refusal prompts)",
        source="github.com/paul-rottger/exaggerated-safety",
        revision=_XSTEST_REV,
        license="CC-BY-4.0",
        files=_github("paul-rottger/exaggerated-safety", _XSTEST_REV, "", _XSTEST),
        citation=(
            "Röttger et al. 2024, XSTest: A Test Suite for Identifying Exaggerated Safety "
            "Behaviours in Large Language Models, NAACL 2024"
        ),
        notes="450 prompts: 250 safe (10 types x 25), 200 unsafe contrast (8 contrast_* types).",
    ),
    DatasetSpec(
        name="strongreject",
        title="StrongREJECT forbidden prompts, jailbreak templates and grader prompts",
        source="github.com/busycalibrating/AdversariaLLM",
        revision=_ADVERSARIALLM_SR_REV,
        license="MIT",
        files=_github(
            "busycalibrating/AdversariaLLM",
            _ADVERSARIALLM_SR_REV,
            "data/behavior_datasets/",
            _STRONGREJECT_CSV,
        )
        + _github(
            "BMPixel/safety-residual-space", _SRS_REV, "src/strong_reject/", _STRONGREJECT_PACKAGE
        ),
        citation="Souly et al. 2024, A StrongREJECT for Empty Jailbreaks, NeurIPS 2024",
        notes=(
            "Mirrors: the canonical repositories (alexandrasouly/strongreject for the CSV, "
            "dsbowen/strong_reject for jailbreak_files/ and eval_files/) could not be reached. "
            "strongreject_dataset.csv is pinned at the vendored copy in "
            f"busycalibrating/AdversariaLLM@{_ADVERSARIALLM_SR_REV}; jailbreak_files/ and "
            f"eval_files/ at BMPixel/safety-residual-space@{_SRS_REV} (src/strong_reject/). "
            "Licence MIT as stated upstream; no licence file in the mirrors."
        ),
    ),
    DatasetSpec(
        name="harmbench",
        title="HarmBench behaviours (text, multimodal) and optimizer targets",
        source="github.com/centerforaisafety/HarmBench",
        revision=_HARMBENCH_REV,
        license="MIT",
        files=_github(
            "centerforaisafety/HarmBench",
            _HARMBENCH_REV,
            "data/behavior_datasets/",
            _HARMBENCH_OFFICIAL,
        )
        + _github(
            "busycalibrating/AdversariaLLM",
            _ADVERSARIALLM_HB_REV,
            "data/behavior_datasets/",
            _HARMBENCH_BEHAVIORS_MIRROR,
        )
        + _github(
            "busycalibrating/AdversariaLLM",
            _ADVERSARIALLM_HB_REV,
            "data/optimizer_targets/",
            _HARMBENCH_TARGETS_MIRROR,
        ),
        citation=(
            "Mazeika et al. 2024, HarmBench: A Standardized Evaluation Framework for Automated "
            "Red Teaming and Robust Refusal, ICML 2024"
        ),
        notes=(
            "text_test/text_val are pinned at the official repository: their sha256 equal the "
            f"hashes known for centerforaisafety/HarmBench@{_HARMBENCH_REV}. text_all, "
            "multimodal_all and targets_text.json were not verified against the official "
            "repository and are pinned at the vendored copy in busycalibrating/AdversariaLLM@"
            f"{_ADVERSARIALLM_HB_REV} (the commit that imported the HarmBench files unmodified). "
            "text_all = text_test + text_val (same rows). Multimodal images are not included."
        ),
    ),
    DatasetSpec(
        name="jailbreakbench",
        title="JailbreakBench JBB-Behaviors (100 harmful + 100 benign)",
        source="github.com/AnthonyRonning/promptfoo-workshop",
        revision=_JBB_MIRROR_REV,
        license="MIT",
        files=_github("AnthonyRonning/promptfoo-workshop", _JBB_MIRROR_REV, "", _JBB),
        citation=(
            "Chao et al. 2024, JailbreakBench: An Open Robustness Benchmark for Jailbreaking "
            "Large Language Models, NeurIPS 2024 Datasets and Benchmarks"
        ),
        notes=(
            "Mirror: canonical source is the Hugging Face dataset JailbreakBench/JBB-Behaviors "
            "(data/harmful-behaviors.csv, data/benign-behaviors.csv), which could not be "
            "reached; the URLs pin the third-party copy in AnthonyRonning/promptfoo-workshop@"
            f"{_JBB_MIRROR_REV}. Header and row counts match the official files; byte identity "
            "with them is unverified."
        ),
    ),
    DatasetSpec(
        name="advbench",
        title="AdvBench harmful behaviours and harmful strings",
        source="github.com/llm-attacks/llm-attacks",
        revision=_ADVBENCH_REV,
        license="MIT",
        files=_github("llm-attacks/llm-attacks", _ADVBENCH_REV, "data/advbench/", _ADVBENCH),
        citation=(
            "Zou et al. 2023, Universal and Transferable Adversarial Attacks on Aligned Language "
            "Models, arXiv:2307.15043"
        ),
        notes=(
            "Pinned at the last official llm-attacks/llm-attacks commit; the local copy came "
            "from the fork Matias222/llm-ataques, which carries that same commit. No categories."
        ),
    ),
    DatasetSpec(
        name="simpleqa",
        title="SimpleQA test set",
        source="github.com/sentient-agi/OpenDeepSearch",
        revision=_SIMPLEQA_MIRROR_REV,
        license="MIT",
        files=_github(
            "sentient-agi/OpenDeepSearch", _SIMPLEQA_MIRROR_REV, "evals/datasets/", _SIMPLEQA
        ),
        citation=(
            "Wei et al. 2024, Measuring short-form factuality in large language models, "
            "arXiv:2411.04368"
        ),
        notes=(
            "Mirror: the canonical file is https://openaipublic.blob.core.windows.net/"
            "simple-evals/simple_qa_test_set.csv (openai/simple-evals), which has no revision "
            "and could not be reached; the URL pins the copy in sentient-agi/OpenDeepSearch@"
            f"{_SIMPLEQA_MIRROR_REV}. Its header is metadata,question,true_answer (official: "
            "metadata,problem,answer), so its bytes differ from the official file."
        ),
    ),
    DatasetSpec(
        name="bbq",
        title="BBQ: Bias Benchmark for QA",
        source="github.com/nyu-mll/BBQ",
        revision=_BBQ_REV,
        license="CC-BY-4.0",
        files=_github("nyu-mll/BBQ", _BBQ_REV, "", _BBQ),
        citation=(
            "Parrish et al. 2022, BBQ: A Hand-Built Bias Benchmark for Question Answering, "
            "Findings of ACL 2022"
        ),
        notes=(
            "6 of the 11 category files have been seen and carry digests. Gender_identity, "
            "Race_ethnicity, SES, Race_x_SES and Race_x_gender (each >= 4 MiB) have never been "
            "seen: sha256 None, recorded on first fetch/add. templates/ is not declared."
        ),
    ),
    DatasetSpec(
        name="tensor_trust",
        title="Tensor Trust prompt-injection robustness benchmarks (v1)",
        source="github.com/HumanCompatibleAI/tensor-trust-data",
        revision=_TENSOR_TRUST_REV,
        license="none stated",
        files=_github("HumanCompatibleAI/tensor-trust-data", _TENSOR_TRUST_REV, "", _TENSOR_TRUST),
        citation=(
            "Toyer et al. 2024, Tensor Trust: Interpretable Prompt Injection Attacks from an "
            "Online Game, ICLR 2024"
        ),
        notes="Hijacking (776) and extraction (570) robustness sets; folder layout as upstream.",
    ),
    DatasetSpec(
        name="iheval",
        title="IHEval instruction-hierarchy benchmark",
        source="github.com/ytyz1307zzh/IHEval",
        revision=_IHEVAL_REV,
        license="CC-BY-NC-ND-4.0",
        files=_github("ytyz1307zzh/IHEval", _IHEVAL_REV, "", _IHEVAL),
        citation=(
            "Zhang et al. 2025, IHEval: Evaluating Language Models on Following the Instruction "
            "Hierarchy, NAACL 2025"
        ),
        notes=(
            "55 files of benchmark/ (3,538 examples, 9 tasks). Non-commercial, no derivatives: "
            "use from the cache, do not redistribute modified copies."
        ),
    ),
    DatasetSpec(
        name="discrim_eval",
        title="discrim-eval (explicit and implicit demographic decision prompts)",
        source="huggingface.co/datasets/Anthropic/discrim-eval",
        revision=_UNPINNED,
        license="CC-BY-4.0",
        files=_hf("Anthropic/discrim-eval", _UNPINNED, "", _DISCRIM_EVAL),
        citation=(
            "Tamkin et al. 2023, Evaluating and Mitigating Discrimination in Language Model "
            "Decisions, arXiv:2312.03689"
        ),
        notes=_UNSEEN,
    ),
    DatasetSpec(
        name="mmmlu",
        title="MMMLU: MMLU test set professionally translated into 14 languages",
        source="huggingface.co/datasets/openai/MMMLU",
        revision=_UNPINNED,
        license="MIT",
        files=_hf("openai/MMMLU", _UNPINNED, "", _MMMLU),
        citation=(
            "OpenAI 2024, MMMLU; Hendrycks et al. 2021, Measuring Massive Multitask Language "
            "Understanding, ICLR 2021"
        ),
        notes=_UNSEEN,
    ),
    DatasetSpec(
        name="mmlu",
        title="MMLU test set (English), as used by openai/simple-evals",
        source="openaipublic.blob.core.windows.net/simple-evals",
        revision=_UNPINNED,
        license="MIT",
        files=(
            DataFile(
                "mmlu.csv", "https://openaipublic.blob.core.windows.net/simple-evals/mmlu.csv", None
            ),
        ),
        citation=(
            "Hendrycks et al. 2021, Measuring Massive Multitask Language Understanding, ICLR 2021"
        ),
        notes=_UNSEEN,
    ),
    DatasetSpec(
        name="wildchat",
        title="WildChat-1M (real user-ChatGPT conversations)",
        source="huggingface.co/datasets/allenai/WildChat-1M",
        revision=_UNPINNED,
        license="ODC-BY",
        files=(),
        citation="Zhao et al. 2024, WildChat: 1M ChatGPT Interaction Logs in the Wild, ICLR 2024",
        notes=(
            "No files declared: the shard list of the parquet files is not known to the "
            "project, so `syscard data fetch wildchat` cannot download it. Download it yourself "
            "and run `syscard data add wildchat PATH`: every file under PATH is copied and its "
            "sha256 recorded."
        ),
    ),
    DatasetSpec(
        name="wmdp",
        title="WMDP: Weapons of Mass Destruction Proxy (bio, chem, cyber)",
        source="huggingface.co/datasets/cais/wmdp",
        revision=_UNPINNED,
        license="MIT",
        files=_hf("cais/wmdp", _UNPINNED, "", _WMDP),
        citation=(
            "Li et al. 2024, The WMDP Benchmark: Measuring and Reducing Malicious Use With "
            "Unlearning, ICML 2024"
        ),
        notes=_UNSEEN,
    ),
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in _SPECS}


def get_spec(name: str) -> DatasetSpec:
    """Return the :class:`DatasetSpec` registered under ``name``.

    Raises :class:`DataError` (one line, naming ``syscard data list``) for an unknown name.
    """
    from syscard.data.store import DataError  # store imports this module

    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise DataError(
            f"unknown dataset '{name}': run `syscard data list` to see the datasets ({known})"
        ) from None
