"""Every shipped seed and prompt file loads and validates."""

from __future__ import annotations

import pytest

from models.errors import ModelError
from models.finetune.prompts import REQUIRED, load_prompts
from models.finetune.seeds import load_general_sample, load_refusal_seeds, load_seed_tasks


def test_seed_tasks_cover_both_types_and_languages():
    tasks = load_seed_tasks()
    assert {t.type for t in tasks} == {"classification", "generation"}
    assert {t.to_record().lang for t in tasks} == {"zh", "en"}


def test_general_sample_is_general_and_bilingual():
    records = load_general_sample()
    assert len(records) >= 40 and {r.origin for r in records} == {"general"}
    assert {r.lang for r in records} == {"zh", "en"}


def test_refusal_seeds_have_topics_placeholder():
    seeds = load_refusal_seeds()
    assert "{topics}" in seeds.refusal and "{topics}" in seeds.greeting
    assert len(seeds.off_domain) >= 20


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_prompt_files_have_their_keys(name):
    prompts = load_prompts(name)
    assert all(prompts[key].strip() for key in REQUIRED[name])


def test_invalid_seed_file_names_the_field(tmp_path):
    bad = tmp_path / "seeds.yaml"
    bad.write_text("- id: a\n  type: ranking\n  instruction: x\n  output: y\n", encoding="utf-8")
    with pytest.raises(ModelError, match="type"):
        load_seed_tasks(bad)


def test_shipped_accelerate_configs_parse():
    import json
    from pathlib import Path

    from accelerate.commands.config.config_args import load_config_from_file

    configs = Path(__file__).resolve().parents[2] / "models" / "finetune" / "configs"
    fsdp = load_config_from_file(str(configs / "accelerate_fsdp.yaml"))
    assert fsdp.distributed_type.value == "FSDP" and fsdp.fsdp_config["fsdp_state_dict_type"] == "FULL_STATE_DICT"
    deepspeed = load_config_from_file(str(configs / "accelerate_deepspeed_zero3.yaml"))
    ds_file = Path(deepspeed.deepspeed_config["deepspeed_config_file"])
    assert deepspeed.distributed_type.value == "DEEPSPEED" and ds_file.name == "ds_zero3.json"
    ds = json.loads((configs / ds_file.name).read_text(encoding="utf-8"))
    assert ds["zero_optimization"]["stage"] == 3 and ds["zero_optimization"]["stage3_gather_16bit_weights_on_model_save"]
