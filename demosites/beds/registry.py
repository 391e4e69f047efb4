"""The test beds' sites as the server knows them: default port, the site's factory, and faults it always has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from demosites.beds import holdout_a, holdout_b, holdout_c, holdout_d, holdout_e, holdout_f
from demosites.sites.beisl_forum import BeislForum
from demosites.sites.comptoir_market import ComptoirMarket
from demosites.sites.estaminet_forum import EstaminetForum
from demosites.sites.etal_market import EtalMarket
from demosites.sites.fernweh_market import FernwehMarket
from demosites.sites.grenspost_market import GrenspostMarket
from demosites.sites.kruispunt_market import KruispuntMarket
from demosites.sites.larade_forum import LaRadeForum
from demosites.sites.nachtschicht_forum import NachtschichtForum
from demosites.sites.naschmarkt_market import NaschmarktMarket
from demosites.sites.schemer_forum import SchemerForum
from demosites.sites.veillee_forum import VeilleeForum
from demosites.timeline import Fault
from demosites.web import SiteApp


@dataclass(frozen=True)
class BedSite:
    bed: str
    port: int
    factory: Callable[[int], SiteApp]  # takes the seed
    faults: tuple[Fault, ...] = ()  # part of the bed's script: served whatever faults are asked for


BED_SITES: dict[str, BedSite] = {
    holdout_a.MARKET: BedSite("holdout_a", 8711, FernwehMarket, (holdout_a.OUTAGE,)),
    holdout_a.FORUM: BedSite("holdout_a", 8712, NachtschichtForum),
    holdout_b.MARKET: BedSite("holdout_b", 8713, KruispuntMarket),
    holdout_b.FORUM: BedSite("holdout_b", 8714, EstaminetForum),
    holdout_c.MARKET: BedSite("holdout_c", 8715, ComptoirMarket),
    holdout_c.FORUM: BedSite("holdout_c", 8716, LaRadeForum, (holdout_c.FORUM_OUTAGE,)),
    holdout_d.MARKET: BedSite("holdout_d", 8717, GrenspostMarket),
    holdout_d.FORUM: BedSite("holdout_d", 8718, SchemerForum),
    holdout_e.MARKET: BedSite("holdout_e", 8719, NaschmarktMarket, (holdout_e.OUTAGE,)),
    holdout_e.FORUM: BedSite("holdout_e", 8720, BeislForum),
    holdout_f.MARKET: BedSite("holdout_f", 8721, EtalMarket, (holdout_f.ERRORS,)),
    holdout_f.FORUM: BedSite("holdout_f", 8722, VeilleeForum),
}
BEDS: dict[str, tuple[str, ...]] = {
    bed: tuple(site for site, b in BED_SITES.items() if b.bed == bed)
    for bed in ("holdout_a", "holdout_b", "holdout_c", "holdout_d", "holdout_e", "holdout_f")
}
