from dataclasses import dataclass


@dataclass
class Author:
    id: str


@dataclass
class Book:
    id: str


@dataclass
class LoanRecord:
    id: str

