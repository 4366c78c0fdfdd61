# Issue 14 §4: the vote base of a rule set, meetings' members and attendance (quorum), the numbers a vote was counted
# with, and items carried over with a next report date or required by an evaluation.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('opinions', '0016_case_hearing_meeting'),
    ]

    operations = [
        migrations.AddField(
            model_name='caseitem',
            name='evaluation',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='follow_up_items', to='opinions.evaluation', verbose_name='required by the evaluation'),
        ),
        migrations.AddField(
            model_name='caseitem',
            name='next_report_date',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='next report due'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='members',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='members (组成人员)'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='present',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='members present'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='vote_base',
            field=models.CharField(choices=[('votes_cast', 'Votes cast'), ('members_present', 'Members present at the meeting'), ('all_members', 'All members (全体组成人员)')], default='votes_cast', editable=False, max_length=20, verbose_name='more than half of'),
        ),
        migrations.AddField(
            model_name='historicalcaseitem',
            name='evaluation',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opinions.evaluation', verbose_name='required by the evaluation'),
        ),
        migrations.AddField(
            model_name='historicalcaseitem',
            name='next_report_date',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='next report due'),
        ),
        migrations.AddField(
            model_name='historicalevaluation',
            name='members',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='members (组成人员)'),
        ),
        migrations.AddField(
            model_name='historicalevaluation',
            name='present',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='members present'),
        ),
        migrations.AddField(
            model_name='historicalevaluation',
            name='vote_base',
            field=models.CharField(choices=[('votes_cast', 'Votes cast'), ('members_present', 'Members present at the meeting'), ('all_members', 'All members (全体组成人员)')], default='votes_cast', editable=False, max_length=20, verbose_name='more than half of'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='members',
            field=models.PositiveSmallIntegerField(blank=True, help_text='All members of the Standing Committee at the time of the meeting.', null=True, verbose_name='members (组成人员)'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='present',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='members present'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='vote_base',
            field=models.CharField(choices=[('votes_cast', 'Votes cast'), ('members_present', 'Members present at the meeting'), ('all_members', 'All members (全体组成人员)')], default='votes_cast', max_length=20, verbose_name='satisfaction vote: more than half of'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='members',
            field=models.PositiveSmallIntegerField(blank=True, help_text='All members of the Standing Committee at the time of the meeting.', null=True, verbose_name='members (组成人员)'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='present',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='members present'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='vote_base',
            field=models.CharField(choices=[('votes_cast', 'Votes cast'), ('members_present', 'Members present at the meeting'), ('all_members', 'All members (全体组成人员)')], default='votes_cast', max_length=20, verbose_name='satisfaction vote: more than half of'),
        ),
        migrations.AlterField(
            model_name='caseitem',
            name='kind',
            field=models.CharField(choices=[('opinion', 'Opinion point'), ('problem', 'Problem found'), ('recommendation', 'Recommendation'), ('audit_problem', 'Audit problem'), ('requirement', 'Meeting requirement'), ('follow_up', 'Follow-up after the evaluation')], default='opinion', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalcaseitem',
            name='kind',
            field=models.CharField(choices=[('opinion', 'Opinion point'), ('problem', 'Problem found'), ('recommendation', 'Recommendation'), ('audit_problem', 'Audit problem'), ('requirement', 'Meeting requirement'), ('follow_up', 'Follow-up after the evaluation')], default='opinion', max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('members__isnull', True), ('present__isnull', True), ('present__lte', models.F('members')), _connector='OR'), name='meeting_present_within_members'),
        ),
    ]
