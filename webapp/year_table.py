"""The view's events by start year and Chinese province, under the headline figures."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from geo.by_year import year_province_table
from i18n import _
from render.wording import YEAR_TABLE_NOTE, year_table_text


def render_year_table(events: pd.DataFrame, names: Mapping[str, str] | None = None) -> None:
    """Show ``geo.by_year.year_province_table`` of the view in words (key ``year_table``).

    Parameters
    ----------
    events
        ``ViewData.events`` (reference rows and their claims).
    names
        Province code -> name (``render.names.province_names``).
    """
    with st.expander(
        _("By year and Chinese province"), key="year_table_expander", on_change="rerun"
    ) as shown:
        if not shown.open:
            return
        st.caption(_(YEAR_TABLE_NOTE))
        table = year_table_text(year_province_table(events), names)
        st.dataframe(table, key="year_table", hide_index=True)
