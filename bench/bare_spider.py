"""The floor for the crawl benchmark: a bare Scrapy spider that only fetches a list of URLs.

Same politeness settings as the demo source (no delay, same concurrency), no parsing, no
WARC, no store.  Prints {"pages": N, "seconds": S} as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], headers: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.headers = headers

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, headers=self.headers, callback=self.parse)

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> None:
        return None


def main() -> None:
    urls = Path(sys.argv[1]).read_text(encoding="utf-8").split()
    concurrency = int(sys.argv[2])
    headers = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
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
    process.crawl(crawler, urls=urls, headers=headers)
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
