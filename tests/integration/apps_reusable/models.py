from django.db import models


class Author(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=40)


class Book(models.Model):
    isbn = models.CharField(max_length=13, unique=True)
    code = models.CharField(max_length=10, unique=True)
    authors = models.ManyToManyField(Author)


class Edition(models.Model):
    book = models.ForeignKey(Book, models.CASCADE)
    number = models.IntegerField()

    class Meta:
        unique_together = [("book", "number")]


class Cover(models.Model):
    book = models.OneToOneField(Book, models.CASCADE)


class Note(models.Model):
    text = models.CharField(max_length=100)
