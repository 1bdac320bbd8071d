"""Reading a sortable field's column across all segments of an index.

Whoosh writes a column file only for segments where some document has a value, and its
``MultiReader.column_reader`` then leaves such segments out while keeping the others'
offsets: document numbers of a segment without the column fall to the previous segment's
reader (wrong values) or past its end (``IndexError``). Reading each segment on its own,
where a missing column gives the field's default, avoids both.
"""

from __future__ import annotations

from whoosh.columns import ColumnReader, EmptyColumnReader, MultiColumnReader
from whoosh.reading import IndexReader


def column_values(reader: IndexReader, fieldname: str, *, translate: bool = False) -> ColumnReader:
    """The column of ``fieldname`` over all documents of ``reader``, indexed by docnum.

    :param translate: decode values with the field's ``from_column_value`` (False: raw).
    """
    readers: list[ColumnReader] = []
    offsets: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        readers.append(leaf.column_reader(fieldname, translate=translate))
        offsets.append(offset)
    if not readers:
        column = reader.schema[fieldname].column_type
        return EmptyColumnReader(column.default_value(), 0)
    return MultiColumnReader(readers, offsets)
