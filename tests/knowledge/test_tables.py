"""Markdown tables read as list items by the chunker and the composer."""

from __future__ import annotations

from knowledge.documents import PolicyDoc
from knowledge.tables import tables_as_items
from knowledge.text import chunk_document

TABLE = """## 运费
| 地区 | 包邮门槛 | 运费 |
|---|:---:|---|
| 新疆、西藏 | 满129元包邮 | 19元 |
| 其他地区 | 满59元包邮 | - |

之后的段落。
"""


def test_rows_become_items_naming_their_case_with_column_names_when_there_are_several():
    out = tables_as_items(TABLE)
    assert "- 新疆、西藏：包邮门槛：满129元包邮；运费：19元" in out
    assert "- 其他地区：包邮门槛：满59元包邮" in out and "运费：-" not in out
    assert "|" not in out and "之后的段落。" in out


def test_text_without_a_table_is_unchanged_and_a_lone_pipe_is_no_table():
    assert tables_as_items("普通段落。\n- 一项") == "普通段落。\n- 一项"
    assert tables_as_items("| 只有一行 |\n下一行") == "| 只有一行 |\n下一行"


def test_each_row_is_a_chunk_of_its_own():
    doc = PolicyDoc(id="fee", title="运费", category="shipping", locale="zh-CN", body=TABLE)
    chunks = chunk_document(doc)
    assert any("新疆、西藏：包邮门槛：满129元包邮" in c for c in chunks)
    assert not any("|" in c for c in chunks)
