"""Keyword rules mapping catalogue titles to the 13 priority areas of §7."""

from __future__ import annotations

import polars as pl
import pytest

from datasets import reference_data
from datasets.priority_mapping import RULES, map_priority_area, matching_rule

# One real catalogue title per area (Chinese or English as the catalogue has it).
REAL_TITLES = [
    ("CII", "信息安全技术 关键信息基础设施安全保护要求", None),
    ("REVIEW", "云计算服务安全能力要求", None),
    ("REVIEW", "信息安全技术 ICT供应链安全风险管理指南", None),
    ("IDENTITY", "信息安全技术 公钥基础设施 数字证书格式", None),
    ("IDENTITY", "信息技术 安全技术 实体鉴别 第1部分：总则", None),
    ("IDENTITY", "信息安全技术 公民网络电子身份标识格式规范", None),
    ("KEYPROD", "网络关键设备安全通用要求", None),
    ("KEYPROD", "信息安全技术 网络安全专用产品安全技术要求", None),
    ("KEYPROD", "信息安全技术 操作系统安全评估准则", None),
    ("ICS", "信息安全技术 工业控制系统专用防火墙技术要求", None),
    ("BIGDATA", "信息安全技术 大数据服务安全能力要求", None),
    ("BIGDATA", "数据安全技术 数据分类分级规则", None),
    ("PI", "信息安全技术 个人信息安全规范", None),
    ("IOT", "信息安全技术 物联网感知终端应用安全技术要求", None),
    ("IOT", None, "Specification for security management interface of internet of vehicles"),
    ("NEXTGEN", "移动通信网 应用服务端到端通信 密钥管理", None),
    (
        "NEXTGEN",
        None,
        "Information security techniques—Guidelines for mobile internet security audit",
    ),
    ("IPTV", "智能家居终端安全 智能电视安全能力技术要求和测试方法", None),
    ("IPTV", None, "Smart TV application malicious behavior evaluation"),
    ("SHARING", "信息安全技术 网络安全威胁信息格式规范", None),
    ("SHARING", "信息安全技术 网络安全漏洞管理规范", None),
    ("SHARING", "网络安全事件应急演练指南", None),
    ("SMARTCITY", "信息安全技术 智慧城市安全体系框架", None),
    ("SECRECY", "涉密信息系统安全保密防护要求", None),
]


@pytest.mark.parametrize(("area", "title_zh", "title_en"), REAL_TITLES)
def test_each_rule_maps_real_catalogue_titles(
    area: str, title_zh: str | None, title_en: str | None
) -> None:
    assert map_priority_area(title_zh, title_en) == area


def test_every_area_has_a_rule_and_keywords() -> None:
    ids = reference_data.priority_areas()["id"].to_list()
    assert sorted(a for a, _ in RULES) == sorted(ids)
    assert all(keywords for _, keywords in RULES)


@pytest.mark.parametrize(
    ("title", "area", "not_area"),
    [
        ("信息安全技术 工业控制系统漏洞检测产品技术要求及测试评价方法", "ICS", "SHARING"),
        ("信息安全技术 工业控制系统专用防火墙技术要求", "ICS", "KEYPROD"),
        ("信息安全技术 个人信息去标识化指南", "PI", "BIGDATA"),
        ("信息安全技术 移动互联网应用程序（App）收集个人信息基本要求", "PI", "NEXTGEN"),
        ("智能家居终端安全 智能电视安全能力技术要求和测试方法", "IPTV", "IOT"),
        ("信息安全技术 移动智能终端操作系统安全技术要求和测试评价方法", "NEXTGEN", "KEYPROD"),
    ],
)
def test_first_matching_rule_wins(title: str, area: str, not_area: str) -> None:
    assert map_priority_area(title, None) == area
    order = [a for a, _ in RULES]
    assert order.index(area) < order.index(not_area)


@pytest.mark.parametrize(
    "title",
    [
        "信息安全技术 SM4分组密码算法",
        "信息安全技术 网络安全等级保护基本要求",
        "信息技术 安全技术 信息安全管理体系 要求",
        "信息安全技术 祖冲之序列密码算法 第2部分：保密性算法",
        None,
    ],
)
def test_titles_outside_the_urgent_areas_stay_unmapped(title: str | None) -> None:
    assert map_priority_area(title, None) is None


def test_ascii_keyword_needs_a_word_start() -> None:
    assert map_priority_area(None, "A review of idiotic patterns") is None
    assert map_priority_area(None, "IoT gateway security") == "IOT"
    assert matching_rule("信息安全技术 公钥基础设施 PKI组件最小互操作规范", None) is not None


def test_coverage_of_the_real_catalogue() -> None:
    catalogue = reference_data.standards()
    titled = catalogue.filter(pl.col("title_zh").is_not_null() | pl.col("title_en").is_not_null())
    share = titled["priority_area"].is_not_null().mean()
    report = titled.group_by("priority_area").len().sort("len", descending=True)
    assert share is not None and share >= 0.40, (
        f"only {share:.0%} of titled standards map:\n{report}"
    )
    # Every area that the real catalogue has standards for is reached.
    reached = set(titled["priority_area"].drop_nulls().to_list())
    assert {"CII", "REVIEW", "IDENTITY", "KEYPROD", "ICS", "BIGDATA", "PI", "IOT",
            "NEXTGEN", "IPTV", "SHARING"} <= reached  # fmt: skip
