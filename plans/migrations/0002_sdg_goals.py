"""Load the 17 SDGs, the reference table behind PlanNode.sdg_goals."""

from django.db import migrations

SDG_GOALS = [
    (1, "貧困をなくそう", "No poverty"),
    (2, "飢餓をゼロに", "Zero hunger"),
    (3, "すべての人に健康と福祉を", "Good health and well-being"),
    (4, "質の高い教育をみんなに", "Quality education"),
    (5, "ジェンダー平等を実現しよう", "Gender equality"),
    (6, "安全な水とトイレを世界中に", "Clean water and sanitation"),
    (7, "エネルギーをみんなに そしてクリーンに", "Affordable and clean energy"),
    (8, "働きがいも経済成長も", "Decent work and economic growth"),
    (9, "産業と技術革新の基盤をつくろう", "Industry, innovation and infrastructure"),
    (10, "人や国の不平等をなくそう", "Reduced inequalities"),
    (11, "住み続けられるまちづくりを", "Sustainable cities and communities"),
    (12, "つくる責任 つかう責任", "Responsible consumption and production"),
    (13, "気候変動に具体的な対策を", "Climate action"),
    (14, "海の豊かさを守ろう", "Life below water"),
    (15, "陸の豊かさも守ろう", "Life on land"),
    (16, "平和と公正をすべての人に", "Peace, justice and strong institutions"),
    (17, "パートナーシップで目標を達成しよう", "Partnerships for the goals"),
]


def load_goals(apps, schema_editor):
    SdgGoal = apps.get_model("plans", "SdgGoal")
    for number, name, name_en in SDG_GOALS:
        SdgGoal.objects.update_or_create(number=number, defaults={"name": name, "name_en": name_en})


def unload_goals(apps, schema_editor):
    apps.get_model("plans", "SdgGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load_goals, unload_goals)]
