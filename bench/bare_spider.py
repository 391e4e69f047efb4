"""The floor for the crawl benchmark: a bare Scrapy spider that only fetches pages.

Two modes, both with the demo source's politeness (no delay, the same concurrency), no
parsing of items, no WARC, no store; they print {"pages", "seconds", "cpu_seconds"} as JSON:

- ``discover SOURCE START_URL CONCURRENCY HEADERS``: reaches the same pages the same way the
  full crawl does, following the links the source file's ``follow``/``allow``/``deny`` pick;
- ``list URLS_FILE CONCURRENCY HEADERS``: is handed every URL at once (no discovery at all).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

from crawlers.config import find_source
from crawlers.links import LinkRules


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], headers: dict[str, str], rules: LinkRules | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.headers = headers
        self.rules = rules

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, headers=self.headers, callback=self.parse)

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if self.rules is None or not isinstance(response, scrapy.http.TextResponse):
            return
        for url in self.rules.new_links(response.selector, response.url):
            yield scrapy.Request(url, headers=self.headers, callback=self.parse)


def main() -> None:
    mode = sys.argv[1]
    if mode == "discover":
        source = find_source(sys.argv[2])
        urls, rules = [sys.argv[3]], LinkRules(source.follow, source.allow, source.deny)
    else:
        urls, rules = Path(sys.argv[2]).read_text(encoding="utf-8").split(), None
    concurrency, headers = int(sys.argv[-2]), json.loads(sys.argv[-1])
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "CONCURRENT_REQUESTS_PER_IP": 0,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "DEPTH_PRIORITY": 1,  # breadth-first, as the full crawl
            "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
            "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        }
    )
    crawler = process.create_crawler(BareSpider)
    cpu: dict[str, float] = {}
    crawler.signals.connect(
        lambda: cpu.setdefault("open", time.process_time()), signal=signals.spider_opened, weak=False
    )
    crawler.signals.connect(
        lambda: cpu.setdefault("close", time.process_time()), signal=signals.spider_closed, weak=False
    )
    process.crawl(crawler, urls=urls, headers=headers, rules=rules)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    pages = stats.get("response_received_count", 0)
    print(
        json.dumps(
            {"pages": pages, "seconds": stats["elapsed_time_seconds"], "cpu_seconds": cpu["close"] - cpu["open"]}
        )
    )


if __name__ == "__main__":
    main()
