"""One spider per kind of site (template), never per site: see ``crawlers.spiders.base``."""

from crawlers.spiders.base import SPIDERS, ForumSpider, MarketSpider, ShopSpider, SourceSpider

__all__ = ["SPIDERS", "ForumSpider", "MarketSpider", "ShopSpider", "SourceSpider"]
