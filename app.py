"""Border events map: the Streamlit entry point. It only wires components together.

``streamlit run app.py`` serves ``app`` (an ``st.App``: anti-framing headers, no external
address look-up, see ``webapp.serving``); every session then runs this file as its script,
where ``__name__`` is ``"__main__"``, and draws the page through ``main`` under the error
boundary of ``webapp.errors`` (a failure shows a reference, never a traceback). The page's
modules are imported in ``main``, so the server process does not import them at start-up.
"""

import streamlit as st

from webapp.errors import report_script_error, run_guarded


def main() -> None:
    """Draw the page: sidebar, figures, map, timeline, tables and export panel.

    The page's language is known before anything is drawn (``webapp.sidebar.page_language``:
    the link's ``lang``, else the language picker's, else the browser's), so every label of
    this run, the data panel's first, is in it.
    """
    from geo.pipeline import build_view
    from geo.withhold import withhold_view
    from i18n import _, set_language
    from render.names import province_names
    from webapp.app_store import app_store
    from webapp.cross_checks import render_cross_checks
    from webapp.data_loading import SHIPPED_NAME, reference
    from webapp.dataset_audit import export_recorder
    from webapp.datasets import open_dataset_events, opens_public_dataset, render_data_panel
    from webapp.events_table import place_names, render_events_table
    from webapp.export_panel import choice_keys, field_keys, render_export_panel
    from webapp.figures import render_figure_line, render_figures
    from webapp.identity import identify, sign_in_page
    from webapp.language import keep_choices
    from webapp.links import start_page_run
    from webapp.map_view import render_map, shown_bounds
    from webapp.markdown_text import plain
    from webapp.page_font import reference_tables, render_page_font
    from webapp.page_tabs import CROSS_CHECKS, EVENTS, EXPORT, render_tabs
    from webapp.sensitive_columns import published_events
    from webapp.sidebar import CHOICE_KEYS, apply_presentation_mode, page_language, render_sidebar
    from webapp.stories import CHOICE_KEYS as STORY_CHOICE_KEYS
    from webapp.stories import open_story_link, render_story_panel, render_story_view
    from webapp.story_store import StoryStore
    from webapp.timeline import render_timeline
    from webapp.uploads import CHOICE_KEYS as DATA_CHOICE_KEYS
    from webapp.uploads import SHIPPED, render_upload_report
    from webapp.workspace import Workspace
    from webapp.year_table import render_year_table

    start_page_run()
    lang = page_language()
    set_language(lang)
    keep_choices(
        lang, (*DATA_CHOICE_KEYS, *CHOICE_KEYS, *choice_keys("export"), *STORY_CHOICE_KEYS)
    )
    st.set_page_config(page_title=_("Border events map"), page_icon="🗺️", layout="wide")
    store = app_store()
    identity = identify(store)  # sign-in (webapp.identity); a laptop: the local user
    user = identity.user_id
    if user is None and not opens_public_dataset(store):  # a visitor sees public links only
        sign_in_page(identity)
        return
    view_box = st.sidebar.container()
    workspace = Workspace()
    stories = StoryStore(workspace)
    open_story_link(stories)  # a story's slide named by the link becomes the link's view
    dataset = render_data_panel(store, user, workspace)
    regions = reference()
    names = province_names(regions.provinces, lang)
    view, notices = render_sidebar(
        dataset.shown.events, names, where=view_box, dataset_key=dataset.key
    )
    set_language(view.lang)  # the same language: the sidebar read it as page_language did
    render_page_font(view.lang, dataset.key, reference_tables(regions, dataset.shown.events))
    apply_presentation_mode(view.present)
    info = dataset.info
    sensitive = info.sensitive_columns if info else ()
    public = info is not None and info.role == "public"  # opened by its public link
    withheld = sensitive if public else ()
    source = published_events(dataset.shown.events, withheld)
    data = withhold_view(build_view(dataset.shown.events, view), withheld)

    dataset_line = _("Dataset: {name}").format(
        name=plain(_(SHIPPED_NAME) if dataset.key == SHIPPED else dataset.shown.name)
    )
    if user is not None:  # stories are made by signed-in users
        render_story_panel(
            stories, view, dataset.shown.events, regions,
            open_dataset=lambda key: open_dataset_events(store, user, key, workspace),
            withheld=withheld,
        )  # fmt: skip
    if view.present:  # the map fills the screen under one line of figures; the rest follows
        for notice in (*dataset.notices, *notices):
            st.warning(plain(notice), icon="⚠️")
        render_story_view(stories, present=True)  # the slide's title and caption
        render_figure_line(data.summary, names)
        render_map(data, regions, present=True)
        st.caption(dataset_line)
        render_upload_report(dataset)
        render_year_table(data.events, names)
    else:
        st.title(_("Documented events on the China–North Korea border"))
        render_story_view(stories, present=False)  # a story link's problem, if any
        st.caption(dataset_line)
        for notice in (*dataset.notices, *notices):
            st.warning(plain(notice), icon="⚠️")
        render_upload_report(dataset)
        render_figures(data.summary, names)
        render_year_table(data.events, names)
        render_map(data, regions)
    render_timeline(source, data)
    render_tabs({
        EVENTS: lambda: render_events_table(
            data.events, names, place_names(regions.places, view.lang), data.view, source,
            withheld=data.withheld,
        ),
        CROSS_CHECKS: lambda: render_cross_checks(data.summary, data.events),
        EXPORT: lambda: render_export_panel(
            data, regions, bounds=shown_bounds(), key_prefix="export",
            sensitive_columns=sensitive, publication_only=public,
            on_export=export_recorder(store, user, dataset.key, dataset.version),
        ),
    }, kept={EXPORT: field_keys("export")})  # fmt: skip


if __name__ == "__main__":  # a session's run of this script
    run_guarded(main)
else:  # imported by `streamlit run app.py` (uvicorn): the server that runs the script above
    from webapp.serving import MIDDLEWARE, no_external_ip_lookup, refuse_open_address

    refuse_open_address()  # beyond this machine only with sign-in configured
    no_external_ip_lookup()
    app = st.App(__file__, middleware=MIDDLEWARE, on_script_error=report_script_error)
