# One image for web, worker and beat (cookiecutter-django style); docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# Static files are collected into the image and served by WhiteNoise: no CDN, no separate web server needed.
RUN DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home npc && mkdir -p /app/media && chown npc /app/media
USER npc
EXPOSE 8000
CMD ["gunicorn", "npc_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
