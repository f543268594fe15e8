#!/usr/bin/env bash
# Refresh the guide and support-request catalogues (nl, fr) from the guide modules only,
# so the knowledge base's strings stay in troubleshooting/locale. Then fill the new msgstr
# and run: (cd troubleshooting/guide_locale && ../../.venv/bin/python ../../manage.py compilemessages)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=var/guide_msgs
rm -rf "$work" && mkdir -p "$work/troubleshooting/templates/troubleshooting"
for file in troubleshooting/guide_*.py troubleshooting/support_forms.py; do
  ln -s "$PWD/$file" "$work/troubleshooting/"
done
for file in troubleshooting/templates/troubleshooting/{guide,support,_guide}_*; do
  ln -s "$PWD/$file" "$work/troubleshooting/templates/troubleshooting/"
done
cp -r troubleshooting/guide_locale "$work/locale"
(cd "$work" && ../../.venv/bin/python ../../manage.py makemessages -s -l nl -l fr --no-obsolete -e html,txt,py)
for language in nl fr; do
  cp "$work/locale/$language/LC_MESSAGES/django.po" "troubleshooting/guide_locale/$language/LC_MESSAGES/"
done
